package dev.orbit.db;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One caller's lease on a database service shared within the process: every operation goes to the
 * shared service, and {@link #close()} ends only this lease; the last lease closes the service.
 */
final class SharedDatabaseService extends ForwardingDocumentStore implements DatabaseService {
    /** The shared service and its count of open leases. */
    static final class Shared {
        private final DatabaseService service;
        private final Runnable onLastClose;
        private int leases;

        Shared(DatabaseService service, Runnable onLastClose) {
            this.service = service;
            this.onLastClose = onLastClose;
        }

        DatabaseService service() {
            return service;
        }

        synchronized SharedDatabaseService lease() {
            leases++;
            return new SharedDatabaseService(this);
        }

        private void release() {
            boolean last;
            synchronized (this) {
                last = --leases == 0;
            }
            if (last) {
                onLastClose.run();
                service.close();
            }
        }
    }

    private final Shared shared;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SharedDatabaseService(Shared shared) {
        this.shared = shared;
    }

    private DatabaseService target() {
        if (closed.get()) {
            throw new DatabaseException("this database handle is closed");
        }
        return shared.service();
    }

    @Override
    public void initialize() {
        target().initialize();
    }

    @Override
    public Schema schema() {
        return target().schema();
    }

    @Override
    public void createIndex(String collection, IndexSpec index) {
        target().createIndex(collection, index);
    }

    @Override
    public <T> T executeTransaction(TransactionWork<T> work) {
        return target().executeTransaction(work);
    }

    @Override
    public <T> T executeAtomically(TransactionWork<T> work) {
        return target().executeAtomically(work);
    }

    @Override
    public long scan(String collection, int batchSize, Consumer<List<Document>> consumer) {
        return target().scan(collection, batchSize, consumer);
    }

    @Override
    public String backendName() {
        return target().backendName();
    }

    @Override
    public List<BackendMeter> meters() {
        return target().meters();
    }

    @Override
    public String describe() {
        return target().describe();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            shared.release();
        }
    }

    @Override
    protected DatabaseService reads() {
        return target();
    }
}
