package dev.orbit.service;

import dev.orbit.db.BackendMeter;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.Filter;
import dev.orbit.db.ForwardingDocumentStore;
import dev.orbit.db.IndexSpec;
import dev.orbit.db.Schema;
import dev.orbit.db.TransactionWork;
import java.util.List;
import java.util.function.Consumer;

/**
 * A database handle that runs a step of the test right after its next {@code deleteMany} returns, so that another
 * request can be put exactly between two steps of a service (a clear's delete of the messages and its release).
 */
final class HookedDatabase extends ForwardingDocumentStore implements DatabaseService {
    private final DatabaseService db;
    private Runnable afterDeleteMany;

    HookedDatabase(DatabaseService db) {
        this.db = db;
    }

    void afterNextDeleteMany(Runnable step) {
        afterDeleteMany = step;
    }

    @Override
    protected DatabaseService reads() {
        return db;
    }

    @Override
    public long deleteMany(String collection, Filter filter) {
        long deleted = db.deleteMany(collection, filter);
        Runnable step = afterDeleteMany;
        afterDeleteMany = null;
        if (step != null) {
            step.run();
        }
        return deleted;
    }

    @Override
    public void initialize() {
        db.initialize();
    }

    @Override
    public Schema schema() {
        return db.schema();
    }

    @Override
    public void createIndex(String collection, IndexSpec index) {
        db.createIndex(collection, index);
    }

    @Override
    public <T> T executeTransaction(TransactionWork<T> work) {
        return db.executeTransaction(work);
    }

    @Override
    public <T> T executeAtomically(TransactionWork<T> work) {
        return db.executeAtomically(work);
    }

    @Override
    public long scan(String collection, int batchSize, Consumer<List<Document>> consumer) {
        return db.scan(collection, batchSize, consumer);
    }

    @Override
    public String backendName() {
        return db.backendName();
    }

    @Override
    public List<BackendMeter> meters() {
        return db.meters();
    }

    @Override
    public String describe() {
        return db.describe();
    }

    @Override
    public void close() {
        db.close();
    }
}
