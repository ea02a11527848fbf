package dev.orbit.db.sqlite;

import dev.orbit.db.BackendMeter;
import dev.orbit.db.CollectionSpec;
import dev.orbit.db.DatabaseException;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.DocumentStore;
import dev.orbit.db.IndexSpec;
import dev.orbit.db.ScanBatches;
import dev.orbit.db.Schema;
import dev.orbit.db.ServiceLifecycle;
import dev.orbit.db.TransactionWork;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The SQLite backend: one database file in WAL mode, a pool of read connections, and one
 * group-committing writer ({@link GroupCommitWriter}) so that many threads and several processes
 * share the file without "database is locked". Versioned migrations run at {@link #initialize()}.
 */
public final class SqliteDatabaseService extends SqliteDocumentStore implements DatabaseService {
    private final SqliteOptions options;
    private final Schema schema;
    private final SqliteConnections connections;
    private final ServiceLifecycle lifecycle;
    // Set once, under the lifecycle's lock; volatile so the hot path reads them without taking it.
    private volatile GroupCommitWriter writer;
    private volatile ReadPool readers;
    private volatile TtlSweeper sweeper;
    private volatile WalCheckpointer checkpointer;
    private volatile DatabaseFileSync fileSync;

    public SqliteDatabaseService(SqliteOptions options, Schema schema) {
        super(schema, tablesOf(schema, SqliteTable::of));
        this.options = Objects.requireNonNull(options, "options");
        this.schema = schema;
        this.connections = new SqliteConnections(options);
        this.lifecycle = new ServiceLifecycle("the SQLite database " + options.databasePath());
    }

    @Override
    public void initialize() {
        lifecycle.open(() -> {
            DatabaseFiles.requireRegularOrAbsent(options.databasePath());
            SqlConnection writeConnection = connections.openWriter();
            List<Map.Entry<String, IndexSpec>> rememberedTtl;
            SqlConnection checkpointConnection;
            try {
                // A file from a newer ORBIT, or not ORBIT's at all, is refused before anything, even its journal
                // mode, changes.
                Migrations.refuseNewer(writeConnection, options.databasePath());
                Ownership.refuseForeign(writeConnection, options.databasePath(), options.allowForeign());
                writeConnection.forgetStatements();
                // WAL before migrating: switching needs the file to itself, which no transaction here holds.
                connections.enableWal(writeConnection);
                Migrations.migrate(writeConnection, schema, options.databasePath());
                // Read here, before the service counts as open (and on failure the connection is closed).
                rememberedTtl = TtlSweeper.remembered(writeConnection);
                // Finalize migration statements so none keeps a lock or a stale schema.
                writeConnection.forgetStatements();
                if (options.synchronous() != SqliteOptions.Synchronous.OFF) {
                    fileSync = DatabaseFileSync.open(options.databasePath());
                }
                checkpointConnection = connections.openCheckpointer();
            } catch (IOException e) {
                closeQuietly(writeConnection);
                throw new DatabaseException("open " + options.databasePath() + " to sync it: " + e.getMessage(), e);
            } catch (SQLException e) {
                closeQuietly(writeConnection);
                releaseFileSyncAfter(e);
                throw SqliteErrors.translate(e, "migrate " + options.databasePath(), null);
            } catch (RuntimeException e) {
                closeQuietly(writeConnection);
                releaseFileSyncAfter(e);
                throw e;
            }
            writer = new GroupCommitWriter(writeConnection, e -> SqliteErrors.translate(e, "commit", null));
            checkpointer = new WalCheckpointer(checkpointConnection, fileSync, writer);
            readers = new ReadPool(connections::openReader, options.readConnections(), options.busyTimeout());
            sweeper = new TtlSweeper(this, schema, rememberedTtl);
        });
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public void createIndex(String collection, IndexSpec index) {
        CollectionSpec spec = table(collection).spec();
        spec.checkIndex(index);
        if (!index.backends().include(IndexSpec.Backends.SQL)) {
            return; // declared for MongoDB only
        }
        write("createIndex", collection, c -> {
            SchemaReconciler.createIndex(c, spec, index);
            if (index.isTtl()) {
                TtlSweeper.remember(c, spec, index);
            }
            return null;
        });
        if (index.isTtl()) {
            sweeper().register(spec, index);
        }
    }

    @Override
    public <T> T executeTransaction(TransactionWork<T> work) {
        Objects.requireNonNull(work, "work");
        return writer().exclusive(c -> work.run(new TransactionStore(c)));
    }

    /** One job of the group commit, its writes in a savepoint that the work's exception rolls back. */
    @Override
    public <T> T executeAtomically(TransactionWork<T> work) {
        Objects.requireNonNull(work, "work");
        return writer().write(c -> {
            c.execute("SAVEPOINT orbit_atomic");
            T result;
            try {
                result = work.run(new TransactionStore(c));
            } catch (RuntimeException | Error e) {
                try {
                    c.execute("ROLLBACK TO orbit_atomic");
                    c.execute("RELEASE orbit_atomic");
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            }
            c.execute("RELEASE orbit_atomic");
            return result;
        });
    }

    @Override
    public long scan(String collection, int batchSize, Consumer<List<Document>> consumer) {
        SqliteTable table = table(collection);
        ScanBatches.check(collection, batchSize, consumer);
        return read("scan", collection, c -> SqlOperations.scan(c, table, batchSize, consumer));
    }

    /** Deletes documents whose TTL has passed now, instead of waiting for the periodic sweep. */
    public long purgeExpired() {
        return sweeper().sweep();
    }

    @Override
    public String backendName() {
        return "sqlite";
    }

    /** The writer's queue and group commits, and the read pool. */
    @Override
    public List<BackendMeter> meters() {
        List<BackendMeter> meters = new java.util.ArrayList<>(List.of(
                BackendMeter.gauge("sqlite_writer_queue_depth", "writes waiting for or in the running group commit",
                        () -> writer().stats().queued()),
                BackendMeter.counter("sqlite_writer_commits", "group commits of the SQLite writer",
                        () -> writer().stats().commits()),
                BackendMeter.counter("sqlite_writer_writes", "writes committed by the SQLite writer (divided by commits:"
                        + " the mean group-commit size)", () -> writer().stats().committedWrites()),
                BackendMeter.counter("sqlite_writer_busy_seconds", "time the SQLite writer held its write transaction"
                        + " (per second of wall time: how close the single writer is to its limit)",
                        () -> writer().stats().busyNanos() / 1e9),
                BackendMeter.counter("sqlite_checkpoints", "WAL checkpoints run off the writer",
                        () -> checkpointer().stats().passes()),
                BackendMeter.counter("sqlite_wal_resets", "times the WAL was fully copied back so that it starts over",
                        () -> checkpointer().stats().resets()),
                BackendMeter.counter("sqlite_wal_reset_seconds", "time the writer spent copying the WAL's last pages"
                        + " back for its resets (writes wait meanwhile)",
                        () -> checkpointer().stats().resetNanos() / 1e9),
                BackendMeter.counter("sqlite_database_sync_failures", "failed syncs of the database file before a WAL"
                        + " reset's last step (which then syncs it all while writes wait)",
                        () -> checkpointer().stats().syncFailures())));
        meters.addAll(BackendMeter.pool("sqlite-read", () -> readers().open() - readers().idle(),
                () -> readers().idle(), () -> readers().size()));
        return meters;
    }

    @Override
    public String describe() {
        return "sqlite " + options.databasePath() + " (schema version " + Migrations.LATEST + ", synchronous "
                + options.synchronous().name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    public SqliteOptions options() {
        return options;
    }

    /** The writer's commit and write totals (how well group commit batches). */
    GroupCommitWriter.Stats writerStats() {
        return writer().stats();
    }

    WalCheckpointer checkpointer() {
        requireOpen();
        return checkpointer;
    }

    @Override
    public void close() {
        if (writer != null && writer.isWriterThread()) {
            // Before anything is shut: the writer would wait for the very job that asks it to stop.
            throw new IllegalStateException("the SQLite database cannot be closed from inside one of its transactions");
        }
        lifecycle.close(() -> {
            if (sweeper != null) {
                sweeper.close();
            }
            if (readers != null) {
                readers.close();
            }
            if (checkpointer != null) {
                checkpointer.close();
            }
            writer.close();
            // Last: closing the process's descriptor of the file would drop the locks of connections still open.
            releaseFileSync();
        });
    }

    @Override
    <T> T read(String operation, String collection, SqlWork<T> work) {
        try {
            return readers().read(c -> run(operation, collection, work, c));
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, operation, collection);
        }
    }

    @Override
    <T> T write(String operation, String collection, SqlWork<T> work) {
        return writer().write(c -> run(operation, collection, work, c));
    }

    /** Runs work on a connection, turning its SQL failures into the layer's exceptions. */
    private static <T> T run(String operation, String collection, SqlWork<T> work, SqlConnection c) {
        try {
            return work.run(c);
        } catch (SQLException e) {
            c.forgetStatements();
            throw SqliteErrors.translate(e, operation, collection);
        }
    }

    private GroupCommitWriter writer() {
        requireOpen();
        return writer;
    }

    private ReadPool readers() {
        requireOpen();
        return readers;
    }

    private TtlSweeper sweeper() {
        requireOpen();
        return sweeper;
    }

    private void requireOpen() {
        lifecycle.requireOpen();
    }

    private void releaseFileSync() {
        if (fileSync == null) {
            return;
        }
        try {
            fileSync.close();
        } catch (IOException e) {
            throw new DatabaseException("close " + options.databasePath() + ": " + e.getMessage(), e);
        } finally {
            fileSync = null;
        }
    }

    private void releaseFileSyncAfter(Exception failure) {
        try {
            releaseFileSync();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static void closeQuietly(SqlConnection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Already failing to open; the original error is the one worth reporting.
        }
    }

    /** The store a transaction's work uses: every read and write on the transaction's own connection. */
    private final class TransactionStore extends SqliteDocumentStore {
        private final SqlConnection connection;

        TransactionStore(SqlConnection connection) {
            super(schema, SqliteDatabaseService.this.tables());
            this.connection = connection;
        }

        @Override
        <T> T read(String operation, String collection, SqlWork<T> work) {
            return write(operation, collection, work);
        }

        @Override
        <T> T write(String operation, String collection, SqlWork<T> work) {
            return run(operation, collection, work, connection);
        }
    }
}
