package dev.orbit.db.mongo;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.DatabaseException;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.ForwardingDocumentStore;
import dev.orbit.db.IndexSpec;
import dev.orbit.db.Schema;
import dev.orbit.db.ServiceLifecycle;
import dev.orbit.db.TransactionWork;
import dev.orbit.db.TransactionsNotSupportedException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The MongoDB backend, on the synchronous driver, with the same semantics as every backend (the shared
 * {@code Validator} decides what is allowed; {@link MongoTranslator} says it in MongoDB's query language).
 *
 * <p>{@link #initialize()} connects and pings the server (an unreachable one fails within the server
 * selection timeout with a {@link dev.orbit.db.DatabaseConnectionException} naming host and port), then
 * creates the schema's indexes. Transactions: replica sets and sharded clusters run
 * {@link #executeTransaction} as a real multi-document transaction; a standalone server cannot, so there
 * it throws {@link TransactionsNotSupportedException} (which kind of server it is, is learnt once, when
 * connecting). Services do not need transactions for correctness; {@code insertMany} stays all-or-nothing
 * on a standalone server by undoing a failed batch (see {@link MongoDocumentStore}).
 */
public final class MongoDatabaseService extends ForwardingDocumentStore implements DatabaseService {
    private final MongoOptions options;
    private final Schema schema;
    private final MongoTarget target;
    private final Map<String, String> collectionNames;
    private final ServiceLifecycle lifecycle;
    /** Set while this thread runs transaction work, whose writes must go through the transaction's store. */
    private final ThreadLocal<Boolean> inTransaction = new ThreadLocal<>();
    // Set once, under the lifecycle's lock; volatile so that operations read them without taking it.
    private volatile MongoConnection connection;
    private volatile MongoDocumentStore store;

    public MongoDatabaseService(MongoOptions options, Schema schema) {
        this.options = Objects.requireNonNull(options, "options");
        this.schema = Objects.requireNonNull(schema, "schema");
        this.target = MongoTarget.of(options);
        this.collectionNames = MongoCollections.serverNames(schema, options.collectionNames());
        this.lifecycle = new ServiceLifecycle(target.describe());
    }

    @Override
    public void initialize() {
        lifecycle.open(() -> {
            MongoConnection opened = MongoConnection.open(target, options.serverSelectionTimeout());
            try {
                MongoDocumentStore ready = new MongoDocumentStore(
                        new MongoCollections(opened.database(), schema, collectionNames), opened.client(),
                        opened.transactions(), null);
                for (CollectionSpec spec : schema.collections()) {
                    // First, so that a declared index replacing a retired one on the same keys (with other options)
                    // is created anew.
                    ready.dropRetiredIndexes(spec);
                    for (IndexSpec index : spec.indexesOn(IndexSpec.Backends.MONGODB)) {
                        ready.createIndex(spec.name(), index);
                    }
                }
                connection = opened;
                store = ready;
            } catch (RuntimeException e) {
                opened.close();
                throw e;
            }
        });
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public void createIndex(String collection, IndexSpec index) {
        writable().createIndex(collection, index);
    }

    /** Whether {@link #executeTransaction} runs transactions here (a replica set or sharded cluster). */
    public boolean supportsTransactions() {
        return store().supportsTransactions();
    }

    /** A transaction: this backend has no cheaper all-or-nothing unit. */
    /** Tries of an atomic unit aborted by a transient transaction error (a write conflict) before giving up. */
    static final int ATOMIC_ATTEMPTS = 5;

    @Override
    public <T> T executeAtomically(TransactionWork<T> work) {
        // Atomic work is document operations only, so running it again is safe: two transactions writing one
        // document (two turns placed in one session, two touches of one owner record) make the server abort one
        // with a transient write conflict, which the driver's own withTransaction would retry too.
        for (int attempt = 1; ; attempt++) {
            try {
                return executeTransaction(work);
            } catch (DatabaseException e) {
                if (attempt >= ATOMIC_ATTEMPTS || !MongoErrors.isTransientTransactionError(e)) {
                    throw e;
                }
            }
        }
    }

    @Override
    public <T> T executeTransaction(TransactionWork<T> work) {
        Objects.requireNonNull(work, "work");
        MongoDocumentStore base = writable();
        if (!base.supportsTransactions()) {
            throw new TransactionsNotSupportedException(describe() + " is a standalone server, which cannot run"
                    + " multi-document transactions; run MongoDB as a replica set (a single member will do)", null);
        }
        inTransaction.set(Boolean.TRUE);
        try {
            return MongoTransaction.run(connection.client(), base, work);
        } finally {
            inTransaction.remove();
        }
    }

    @Override
    public String backendName() {
        return "mongodb";
    }

    /** "mongodb host:port/database", never with credentials. */
    @Override
    public String describe() {
        return target.describe();
    }

    @Override
    public void close() {
        lifecycle.close(() -> connection.close());
    }

    @Override
    protected MongoDocumentStore reads() {
        return store();
    }

    @Override
    protected MongoDocumentStore writes() {
        return writable();
    }

    @Override
    public long scan(String collection, int batchSize, Consumer<List<Document>> consumer) {
        return store().scan(collection, batchSize, consumer);
    }

    private MongoDocumentStore store() {
        lifecycle.requireOpen();
        return store;
    }

    /**
     * The store, for a write. From inside transaction work a write through the service would escape the
     * transaction (on SQLite it would wait for it), so it is refused on every backend.
     */
    private MongoDocumentStore writable() {
        MongoDocumentStore current = store();
        if (inTransaction.get() != null) {
            throw new IllegalStateException("a write inside executeTransaction must use the transaction's"
                    + " DocumentStore, not the DatabaseService (it would escape the transaction)");
        }
        return current;
    }
}
