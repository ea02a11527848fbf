package dev.orbit.cli;

import dev.orbit.Gateway;
import dev.orbit.config.ConfigLoader;
import dev.orbit.config.OrbitConfig;
import dev.orbit.db.mongo.MongoOptions;
import dev.orbit.db.mongo.MongoTestServer;
import dev.orbit.db.postgres.PostgresOptions;
import dev.orbit.db.postgres.PostgresTestServer;
import dev.orbit.service.PasswordSettings;
import dev.orbit.service.ServiceFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * A real gateway for the CLI to talk to: 127.0.0.1, port 0, on SQLite, MongoDB or PostgreSQL (a database of its
 * own on the test server, dropped at close), with the default admin's password set and fast password hashing,
 * wired by the production factory; the CLI reaches it over HTTP like any other server.
 */
final class TestGateway implements AutoCloseable {
    static final String ADMIN_PASSWORD = "admin-Secret1";
    static final String ADAPTER = "simple-chat";
    private static final PasswordSettings FAST_PASSWORDS = new PasswordSettings(1_000, 1_000, 2, 256);

    private final Gateway gateway;
    private final Runnable dropDatabase;

    private TestGateway(Gateway gateway, Runnable dropDatabase) {
        this.gateway = gateway;
        this.dropDatabase = dropDatabase;
    }

    static TestGateway start(CliBackend backend, Path dir, MongoTestServer mongo) {
        PostgresOptions postgres = backend == CliBackend.POSTGRES ? PostgresTestServer.newDatabase() : null;
        Runnable drop = postgres == null ? () -> { } : () -> PostgresTestServer.drop(postgres);
        try {
            return start(backend, dir, mongo, postgres, drop);
        } catch (RuntimeException | Error e) {
            drop.run();
            throw e;
        }
    }

    private static TestGateway start(CliBackend backend, Path dir, MongoTestServer mongo, PostgresOptions postgres,
                                     Runnable drop) {
        String yaml = """
                general: {host: 127.0.0.1, port: 0}
                auth: {default_admin_password: %s}
                chat_history: {retention_days: 0}
                security: {throttling: {enabled: true}}
                adapters:
                  - {name: %s, inference_provider: mock, model: mock-model}
                %s
                """.formatted(ADMIN_PASSWORD, ADAPTER, storage(backend, dir, mongo, postgres));
        OrbitConfig config = ConfigLoader.parse(yaml, "test.yaml", Map.of("ORBIT_HOME", dir.toString()));
        ServiceFactory services = ServiceFactory.fromConfig(config, Gateway.openDatabase(config.backend()),
                FAST_PASSWORDS, Clock.systemUTC());
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new TestGateway(Gateway.start(config, services, quiet), drop);
    }

    /** The audit is on, so that {@code orbit audit} and {@code orbit usage} have something to show. */
    private static final String AUDIT = "audit: {enabled: true, flush_interval_ms: 20}, ";

    /**
     * The {@code internal_services} configuration for the backend: SQLite in {@code dir/orbit.db}, a new database on
     * the MongoDB test server, or the PostgreSQL database given.
     */
    static String storage(CliBackend backend, Path dir, MongoTestServer mongo, PostgresOptions postgres) {
        return switch (backend) {
            case SQLITE -> "internal_services: {" + AUDIT + "backend: {type: sqlite, sqlite: {database_path: '"
                    + dir.resolve("orbit.db") + "'}}}";
            case MONGODB -> {
                MongoOptions options = mongo.newDatabase();
                yield "internal_services: {" + AUDIT + "backend: {type: mongodb}, mongodb: {uri: '" + options.uri()
                        + "', database: " + options.database() + "}}";
            }
            case POSTGRES -> "internal_services: {" + AUDIT + "backend: {type: postgres, postgres: {url: '"
                    + PostgresTestServer.url(postgres) + "'}}}";
        };
    }

    /** Waits until the chat calls made so far are in the conversation audit and usage rollups. */
    void flushAudit() {
        gateway.audit().writer().orElseThrow().flush();
    }

    String url() {
        return "http://127.0.0.1:" + gateway.port();
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            dropDatabase.run();
        }
    }
}
