package dev.orbit.db;

import java.util.List;
import java.util.Optional;

/**
 * A {@link DocumentStore} that hands every document operation to another store: reads to {@link #reads()},
 * writes to {@link #writes()}. For services that wrap a store (a lease on a shared service, a backend that
 * guards writes made inside transaction work) and add their checks in those two methods, once, instead of in
 * every operation.
 */
public abstract class ForwardingDocumentStore implements DocumentStore {
    /** The store that answers reads, after whatever checks a read needs. */
    protected abstract DocumentStore reads();

    /** The store that takes writes; the reading one unless a write needs more checks. */
    protected DocumentStore writes() {
        return reads();
    }

    @Override
    public Optional<Document> findOne(String collection, Filter filter) {
        return reads().findOne(collection, filter);
    }

    @Override
    public Optional<Document> findOne(String collection, Filter filter, Sort sort) {
        return reads().findOne(collection, filter, sort);
    }

    @Override
    public Optional<Document> findOne(String collection, Filter filter, FindOptions options) {
        return reads().findOne(collection, filter, options);
    }

    @Override
    public List<Document> findMany(String collection, Filter filter, FindOptions options) {
        return reads().findMany(collection, filter, options);
    }

    @Override
    public long count(String collection, Filter filter) {
        return reads().count(collection, filter);
    }

    @Override
    public String insertOne(String collection, Document document) {
        return writes().insertOne(collection, document);
    }

    @Override
    public List<String> insertMany(String collection, List<Document> documents) {
        return writes().insertMany(collection, documents);
    }

    @Override
    public UpdateResult updateOne(String collection, Filter filter, Update update, UpdateOptions options) {
        return writes().updateOne(collection, filter, update, options);
    }

    @Override
    public UpdateResult updateMany(String collection, Filter filter, Update update, UpdateOptions options) {
        return writes().updateMany(collection, filter, update, options);
    }

    @Override
    public boolean deleteOne(String collection, Filter filter) {
        return writes().deleteOne(collection, filter);
    }

    @Override
    public long deleteMany(String collection, Filter filter) {
        return writes().deleteMany(collection, filter);
    }
}
