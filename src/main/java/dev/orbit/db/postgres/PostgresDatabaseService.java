package dev.orbit.db.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.orbit.db.BackendMeter;
import dev.orbit.db.CollectionSpec;
import dev.orbit.db.DatabaseConnectionException;
import dev.orbit.db.DatabaseException;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.FieldSpec;
import dev.orbit.db.IdUtils;
import dev.orbit.db.IndexSpec;
import dev.orbit.db.ScanBatches;
import dev.orbit.db.Schema;
import dev.orbit.db.ServiceLifecycle;
import dev.orbit.db.TransactionWork;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The PostgreSQL backend: a HikariCP pool of pgJDBC connections to one database. Every write outside a
 * transaction is one auto-committed statement (or one transaction of its own for a batch), so several gateway
 * processes can share the database; versioned migrations run at {@link #initialize()} under an advisory lock.
 */
public final class PostgresDatabaseService extends PostgresDocumentStore implements DatabaseService {
    private final PostgresOptions options;
    private final Schema schema;
    private final ThreadLocal<Boolean> inTransaction = new ThreadLocal<>();
    private final ServiceLifecycle lifecycle;
    // Set once, under the lifecycle's lock; volatile so the hot path reads them without taking it.
    private volatile HikariDataSource pool;
    private volatile PgTranslator translator;
    private volatile PgTtlSweeper sweeper;
    private volatile PgGroupInsert groupInsert;
    private volatile int versionFound;

    public PostgresDatabaseService(PostgresOptions options, Schema schema) {
        super(schema, tablesOf(schema, PgTable::of), true);
        this.options = Objects.requireNonNull(options, "options");
        this.schema = schema;
        this.lifecycle = new ServiceLifecycle("the PostgreSQL database " + options.location());
    }

    @Override
    public void initialize() {
        lifecycle.open(() -> {
            HikariDataSource opened = openPool();
            try (Connection c = connectFirst(opened)) {
                translator = new PgTranslator(c.getMetaData().getDatabaseMajorVersion() >= 17 ? "pg_c_utf8" : null);
                versionFound = PgMigrations.migrate(c, schema, options.location());
                sweeper = new PgTtlSweeper(this, schema, c);
            } catch (SQLException e) {
                opened.close();
                throw PgErrors.translate(e, "migrate " + options.location(), null);
            } catch (RuntimeException e) {
                opened.close();
                throw e;
            }
            groupInsert = new PgGroupInsert(new PooledConnections(opened));
            pool = opened;
        });
    }

    /**
     * The first connection, which says whether the server is there: within the connect timeout, or one line
     * naming the server and pgJDBC's reason (never the password).
     */
    private Connection connectFirst(HikariDataSource source) {
        try {
            return source.getConnection();
        } catch (SQLException e) {
            source.close();
            Throwable reason = e.getCause() != null ? e.getCause() : e;
            throw new DatabaseConnectionException("cannot connect to PostgreSQL at " + options.location() + ": "
                    + reason.getMessage(), e);
        }
    }

    private HikariDataSource openPool() {
        HikariConfig config = new HikariConfig();
        config.setPoolName("orbit-postgres");
        config.setJdbcUrl(options.jdbcUrl());
        config.setUsername(options.username());
        config.setPassword(options.password());
        config.setMaximumPoolSize(options.poolSize());
        config.setMinimumIdle(Math.min(2, options.poolSize()));
        config.setConnectionTimeout(options.connectTimeout().toMillis());
        // The pool starts without connecting; connectFirst reports an unreachable server (HikariCP's own
        // fail-fast would log a stack trace first).
        config.setInitializationFailTimeout(-1);
        long seconds = Math.max(1, (options.connectTimeout().toMillis() + 999) / 1000);
        config.addDataSourceProperty("sslmode", options.sslmode());
        config.addDataSourceProperty("connectTimeout", seconds);
        config.addDataSourceProperty("loginTimeout", seconds);
        config.addDataSourceProperty("ApplicationName", "orbit");
        config.addDataSourceProperty("reWriteBatchedInserts", true);
        config.addDataSourceProperty("tcpKeepAlive", true);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            // HikariCP's PoolInitializationException wraps pgJDBC's reason; the password is in neither.
            Throwable reason = e.getCause() != null ? e.getCause() : e;
            throw new DatabaseConnectionException("cannot connect to PostgreSQL at " + options.location() + ": "
                    + reason.getMessage(), e);
        }
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
        write("createIndex", collection, true, c -> {
            PgSchema.execute(c, "SELECT pg_advisory_xact_lock(" + PgMigrations.LOCK + ")");
            PgSchema.createIndex(c, spec, index);
            if (index.isTtl()) {
                PgTtlSweeper.remember(c, spec, index);
            }
            return null;
        });
        if (index.isTtl()) {
            sweeper().register(spec, index);
        }
    }

    /** A transaction: this backend has no cheaper all-or-nothing unit. */
    @Override
    public <T> T executeAtomically(TransactionWork<T> work) {
        return executeTransaction(work);
    }

    @Override
    public <T> T executeTransaction(TransactionWork<T> work) {
        Objects.requireNonNull(work, "work");
        HikariDataSource source = pool();
        if (inTransaction.get() != null) {
            throw new IllegalStateException("executeTransaction inside transaction work: use the work's store");
        }
        Connection c;
        try {
            c = source.getConnection();
            c.setAutoCommit(false);
        } catch (SQLException e) {
            throw PgErrors.translate(e, "begin transaction", null);
        }
        inTransaction.set(Boolean.TRUE);
        try {
            T result = work.run(new TransactionStore(c));
            c.commit();
            return result;
        } catch (SQLException e) {
            rollbackQuietly(c, e);
            throw PgErrors.translate(e, "commit", null);
        } catch (RuntimeException | Error e) {
            rollbackQuietly(c, e);
            throw e;
        } finally {
            inTransaction.remove();
            release(c);
        }
    }

    @Override
    public long scan(String collection, int batchSize, Consumer<List<Document>> consumer) {
        PgTable table = table(collection);
        ScanBatches.check(collection, batchSize, consumer);
        return read("scan", collection, c -> {
            // A server-side cursor needs a transaction; it is read-only and rolled back at the end.
            c.setAutoCommit(false);
            try {
                return PgOperations.scan(c, table, batchSize, consumer);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        });
    }

    /** What group insert did so far ({@link PgGroupInsert#stats()}). */
    PgGroupInsert.Stats groupInsertStats() {
        pool();
        return groupInsert.stats();
    }

    /** Deletes documents whose TTL has passed now, instead of waiting for the periodic sweep. */
    public long purgeExpired() {
        return sweeper().sweep();
    }

    /**
     * The schema version recorded in the database, without changing anything (0: not opened by ORBIT yet).
     * For {@code orbit db status}, which reports an upgrade.
     */
    public static int schemaVersion(PostgresOptions options) {
        try (Connection c = options.connect();
             java.sql.PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, PgMigrations.TABLE);
            try (ResultSet rows = exists.executeQuery()) {
                rows.next();
                return rows.getBoolean(1) ? PgMigrations.version(c) : 0;
            }
        } catch (SQLException e) {
            throw PgErrors.translate(e, "read the schema version of " + options.location(), null);
        }
    }

    /** The schema version this code writes. */
    public static int latestSchemaVersion() {
        return PgMigrations.LATEST;
    }

    /** The schema version the database had before this process opened it (0: new or a reference database). */
    public int versionFound() {
        return versionFound;
    }

    @Override
    public String backendName() {
        return "postgres";
    }

    /** The HikariCP pool, read from its MXBean at each scrape. */
    @Override
    public List<BackendMeter> meters() {
        List<BackendMeter> meters = new java.util.ArrayList<>(BackendMeter.pool("postgres",
                () -> poolStat(HikariPoolMXBean::getActiveConnections),
                () -> poolStat(HikariPoolMXBean::getIdleConnections), options::poolSize));
        meters.add(new BackendMeter("db_pool_pending_threads", "threads waiting for a connection now",
                BackendMeter.Kind.GAUGE, Map.of("pool", "postgres"),
                () -> poolStat(HikariPoolMXBean::getThreadsAwaitingConnection)));
        return meters;
    }

    private double poolStat(java.util.function.ToIntFunction<HikariPoolMXBean> stat) {
        HikariDataSource open = pool;
        HikariPoolMXBean bean = open == null ? null : open.getHikariPoolMXBean();
        return bean == null ? Double.NaN : stat.applyAsInt(bean);
    }

    @Override
    public String describe() {
        return "postgres " + options.location() + " (schema version " + PgMigrations.LATEST + ", sslmode "
                + options.sslmode() + ")";
    }

    public PostgresOptions options() {
        return options;
    }

    @Override
    public void close() {
        lifecycle.close(() -> {
            sweeper.close();
            groupInsert.close();
            pool.close();
        });
    }

    @Override
    PgTranslator translator() {
        return translator;
    }

    @Override
    <T> T read(String operation, String collection, PgWork<T> work) {
        HikariDataSource source = pool();
        try (Connection c = source.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw PgErrors.translate(e, operation, collection);
        }
    }

    /**
     * Concurrent single-document inserts go in as groups of one statement and one commit each
     * ({@link PgGroupInsert}); alone, an insert is one plain statement.
     */
    @Override
    String insertSingle(PgTable table, Document document) {
        refuseInsideTransaction();
        pool();
        if (document.id() == null) {
            document.put(FieldSpec.ID, IdUtils.newUuid());
        }
        return groupInsert.insert(table, document);
    }

    @Override
    <T> T write(String operation, String collection, boolean atomic, PgWork<T> work) {
        refuseInsideTransaction();
        if (!atomic) {
            return read(operation, collection, work);
        }
        return read(operation, collection, c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    private void refuseInsideTransaction() {
        if (inTransaction.get() != null) {
            throw new IllegalStateException("a write inside executeTransaction must use the transaction's"
                    + " DocumentStore, not the DatabaseService (it would escape the transaction)");
        }
    }

    private HikariDataSource pool() {
        lifecycle.requireOpen();
        return pool;
    }

    private PgTtlSweeper sweeper() {
        pool();
        return sweeper;
    }

    private static void rollbackQuietly(Connection c, Throwable failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static void release(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // The pool resets or evicts a broken connection itself.
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // Closing returns it to the pool; nothing to do if that fails.
        }
    }

    /** The group insert's connections: pooled ones, errors named as every operation's. */
    private record PooledConnections(HikariDataSource source) implements PgGroupInsert.PgConnections {
        @Override
        public Connection get() throws SQLException {
            return source.getConnection();
        }

        @Override
        public DatabaseException translate(SQLException e, String collection) {
            return PgErrors.translate(e, "insert", collection);
        }
    }

    /** The store a transaction's work uses: every read and write on the transaction's own connection. */
    private final class TransactionStore extends PostgresDocumentStore {
        private final Connection connection;

        TransactionStore(Connection connection) {
            super(schema, PostgresDatabaseService.this.tables(), false);
            this.connection = connection;
        }

        @Override
        PgTranslator translator() {
            return translator;
        }

        @Override
        <T> T read(String operation, String collection, PgWork<T> work) {
            pool();
            try {
                return work.run(connection);
            } catch (SQLException e) {
                throw PgErrors.translate(e, operation, collection);
            }
        }

        @Override
        <T> T write(String operation, String collection, boolean atomic, PgWork<T> work) {
            return read(operation, collection, work);
        }
    }
}
