package dev.orbit;

import dev.orbit.config.OrbitConfig;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.DatabaseServiceFactory;
import dev.orbit.db.DatabaseServiceFactory.Backend;
import dev.orbit.db.OrbitSchema;
import dev.orbit.http.HttpServer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A running ORBIT: the database, then the HTTP server on top of it; {@link #close} stops them in reverse.
 * This is where services get wired to the database and routes to the services.
 */
public final class Gateway implements AutoCloseable {
    private final DatabaseService database;
    private final HttpServer http;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Gateway(DatabaseService database, HttpServer http) {
        this.database = database;
        this.http = http;
    }

    /** Opens the configured database with ORBIT's schema; the production {@code opener} of {@link #start}. */
    public static DatabaseService openDatabase(Backend backend) {
        return DatabaseServiceFactory.open(backend, OrbitSchema.SCHEMA);
    }

    /**
     * Opens the database with {@code opener} (tests pass their own) and starts the HTTP server.
     *
     * @throws StartupException naming the backend if the database cannot be opened, or if the port cannot be bound
     */
    public static Gateway start(OrbitConfig config, Function<Backend, DatabaseService> opener) {
        DatabaseService database;
        try {
            database = opener.apply(config.backend());
        } catch (RuntimeException e) {
            // Whatever the cause (unreachable server, locked or corrupt file, backend not built), the operator
            // needs to know which database failed and why, in one line.
            throw new StartupException("cannot open the database (" + describe(config.backend()) + "): "
                    + e.getMessage(), e);
        }
        try {
            HttpServer http = HttpServer.start(config.general(), config.http(), routes -> { });
            return new Gateway(database, http);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** Which database a backend names, without secrets, for messages written before it is open. */
    public static String describe(Backend backend) {
        return switch (backend) {
            case Backend.Sqlite s -> "sqlite " + s.options().databasePath();
            case Backend.Mongo m -> "mongodb " + m.options();
        };
    }

    /** The HTTP port (the real one when 0 was configured). */
    public int port() {
        return http.port();
    }

    /** The open database, for {@code describe()} and for wiring. */
    public DatabaseService database() {
        return database;
    }

    /** Blocks until {@link #close} has finished (from another thread, e.g. a shutdown hook). */
    public void awaitClosed() throws InterruptedException {
        stopped.await();
    }

    /** Stops the HTTP server, then closes the database. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            http.close();
        } finally {
            try {
                database.close();
            } finally {
                stopped.countDown();
            }
        }
    }
}
