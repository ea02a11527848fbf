package dev.orbit.observability;

import dev.orbit.db.Document;
import dev.orbit.db.DocumentStore;
import dev.orbit.db.Filter;
import dev.orbit.db.FindOptions;
import dev.orbit.db.Sort;
import dev.orbit.db.Update;
import dev.orbit.db.UpdateOptions;
import dev.orbit.db.UpdateResult;
import dev.orbit.observability.DatabaseMeters.Operation;
import java.util.List;
import java.util.Optional;

/** A {@link DocumentStore} whose every operation is timed ({@link DatabaseMeters}) on its way to another store. */
class TimedDocumentStore implements DocumentStore {
    private final DocumentStore store;
    final DatabaseMeters meters;

    TimedDocumentStore(DocumentStore store, DatabaseMeters meters) {
        this.store = store;
        this.meters = meters;
    }

    @Override
    public Optional<Document> findOne(String collection, Filter filter) {
        return meters.time(Operation.FIND_ONE, collection, () -> store.findOne(collection, filter));
    }

    @Override
    public Optional<Document> findOne(String collection, Filter filter, Sort sort) {
        return meters.time(Operation.FIND_ONE, collection, () -> store.findOne(collection, filter, sort));
    }

    @Override
    public List<Document> findMany(String collection, Filter filter, FindOptions options) {
        return meters.time(Operation.FIND_MANY, collection, () -> store.findMany(collection, filter, options));
    }

    @Override
    public String insertOne(String collection, Document document) {
        return meters.time(Operation.INSERT_ONE, collection, () -> store.insertOne(collection, document));
    }

    @Override
    public List<String> insertMany(String collection, List<Document> documents) {
        return meters.time(Operation.INSERT_MANY, collection, () -> store.insertMany(collection, documents));
    }

    @Override
    public UpdateResult updateOne(String collection, Filter filter, Update update, UpdateOptions options) {
        return meters.time(Operation.UPDATE_ONE, collection, () -> store.updateOne(collection, filter, update, options));
    }

    @Override
    public UpdateResult updateMany(String collection, Filter filter, Update update, UpdateOptions options) {
        return meters.time(Operation.UPDATE_MANY, collection,
                () -> store.updateMany(collection, filter, update, options));
    }

    @Override
    public boolean deleteOne(String collection, Filter filter) {
        return meters.time(Operation.DELETE_ONE, collection, () -> store.deleteOne(collection, filter));
    }

    @Override
    public long deleteMany(String collection, Filter filter) {
        return meters.time(Operation.DELETE_MANY, collection, () -> store.deleteMany(collection, filter));
    }

    @Override
    public long count(String collection, Filter filter) {
        return meters.time(Operation.COUNT, collection, () -> store.count(collection, filter));
    }
}
