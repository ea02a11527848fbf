package dev.orbit.db;

import java.util.List;
import java.util.Optional;

/**
 * The document operations, shared by a {@link DatabaseService} and the handle a transaction gives its
 * work. Collections, fields and values are checked against the {@link Schema} first; every failure is a
 * {@link DatabaseException}, and "nothing found" is never confused with "failed".
 */
public interface DocumentStore {
    /** The first document matching the filter (in unspecified order), if any. */
    Optional<Document> findOne(String collection, Filter filter);

    /** The first document matching the filter in the given order, if any. */
    default Optional<Document> findOne(String collection, Filter filter, Sort sort) {
        return findMany(collection, filter, FindOptions.sortedBy(sort).limit(1)).stream().findFirst();
    }

    /**
     * The first document matching the filter in the options' order, after their skip, with their projection's
     * fields, if any (their limit is ignored).
     */
    default Optional<Document> findOne(String collection, Filter filter, FindOptions options) {
        return findMany(collection, filter, options.limit(1)).stream().findFirst();
    }

    List<Document> findMany(String collection, Filter filter, FindOptions options);

    default List<Document> findMany(String collection, Filter filter) {
        return findMany(collection, filter, FindOptions.ALL);
    }

    /** Inserts a document and returns its id (generated when the document has none). */
    String insertOne(String collection, Document document);

    /** Inserts all documents atomically (all or none) and returns their ids in order. */
    List<String> insertMany(String collection, List<Document> documents);

    UpdateResult updateOne(String collection, Filter filter, Update update, UpdateOptions options);

    default UpdateResult updateOne(String collection, Filter filter, Update update) {
        return updateOne(collection, filter, update, UpdateOptions.DEFAULT);
    }

    UpdateResult updateMany(String collection, Filter filter, Update update, UpdateOptions options);

    default UpdateResult updateMany(String collection, Filter filter, Update update) {
        return updateMany(collection, filter, update, UpdateOptions.DEFAULT);
    }

    /** Deletes the first matching document; returns whether one was deleted. */
    boolean deleteOne(String collection, Filter filter);

    /** Deletes every matching document and returns how many. */
    long deleteMany(String collection, Filter filter);

    long count(String collection, Filter filter);

    /** A handle on one collection, for code that works with a single collection. */
    default DocumentCollection getCollection(String collection) {
        return new DocumentCollection(this, collection);
    }
}
