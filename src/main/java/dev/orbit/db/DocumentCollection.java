package dev.orbit.db;

import java.util.List;
import java.util.Optional;

/** The {@link DocumentStore} operations bound to one collection name. */
public final class DocumentCollection {
    private final DocumentStore store;
    private final String name;

    DocumentCollection(DocumentStore store, String name) {
        this.store = store;
        this.name = name;
    }

    public String name() {
        return name;
    }

    public Optional<Document> findOne(Filter filter) {
        return store.findOne(name, filter);
    }

    public Optional<Document> findOne(Filter filter, Sort sort) {
        return store.findOne(name, filter, sort);
    }

    public Optional<Document> findOne(Filter filter, FindOptions options) {
        return store.findOne(name, filter, options);
    }

    public List<Document> findMany(Filter filter, FindOptions options) {
        return store.findMany(name, filter, options);
    }

    public String insertOne(Document document) {
        return store.insertOne(name, document);
    }

    public List<String> insertMany(List<Document> documents) {
        return store.insertMany(name, documents);
    }

    public UpdateResult updateOne(Filter filter, Update update, UpdateOptions options) {
        return store.updateOne(name, filter, update, options);
    }

    public UpdateResult updateOne(Filter filter, Update update) {
        return store.updateOne(name, filter, update);
    }

    public UpdateResult updateMany(Filter filter, Update update) {
        return store.updateMany(name, filter, update);
    }

    public boolean deleteOne(Filter filter) {
        return store.deleteOne(name, filter);
    }

    public long deleteMany(Filter filter) {
        return store.deleteMany(name, filter);
    }

    public long count(Filter filter) {
        return store.count(name, filter);
    }
}
