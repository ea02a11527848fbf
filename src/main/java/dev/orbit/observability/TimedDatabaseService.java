package dev.orbit.observability;

import dev.orbit.db.BackendMeter;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.IndexSpec;
import dev.orbit.db.Schema;
import dev.orbit.db.TransactionWork;
import dev.orbit.observability.DatabaseMeters.Operation;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link DatabaseService} that times every operation of the service it wraps, whatever the backend: the one
 * place database latency is measured. Work inside a transaction is timed operation by operation, and the
 * transaction as a whole. It adds two clock reads and a counter update per operation, nothing that blocks.
 */
final class TimedDatabaseService extends TimedDocumentStore implements DatabaseService {
    private final DatabaseService service;

    TimedDatabaseService(DatabaseService service, DatabaseMeters meters) {
        super(service, meters);
        this.service = service;
    }

    @Override
    public void initialize() {
        service.initialize();
    }

    @Override
    public Schema schema() {
        return service.schema();
    }

    @Override
    public void createIndex(String collection, IndexSpec index) {
        meters.time(Operation.CREATE_INDEX, collection, () -> {
            service.createIndex(collection, index);
            return null;
        });
    }

    @Override
    public <T> T executeTransaction(TransactionWork<T> work) {
        return meters.time(Operation.TRANSACTION, null,
                () -> service.executeTransaction(tx -> work.run(new TimedDocumentStore(tx, meters))));
    }

    /** Timed as a transaction; the backend's own atomic unit (on SQLite a job of the group commit). */
    @Override
    public <T> T executeAtomically(TransactionWork<T> work) {
        return meters.time(Operation.TRANSACTION, null,
                () -> service.executeAtomically(tx -> work.run(new TimedDocumentStore(tx, meters))));
    }

    @Override
    public long scan(String collection, int batchSize, Consumer<List<Document>> consumer) {
        return meters.time(Operation.SCAN, collection, () -> service.scan(collection, batchSize, consumer));
    }

    @Override
    public String backendName() {
        return service.backendName();
    }

    @Override
    public List<BackendMeter> meters() {
        return service.meters();
    }

    @Override
    public String describe() {
        return service.describe();
    }

    @Override
    public void close() {
        service.close();
    }
}
