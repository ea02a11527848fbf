package dev.orbit.service;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.mongo.MongoDatabaseService;
import dev.orbit.db.mongo.MongoOptions;
import dev.orbit.db.mongo.MongoTestServer;
import dev.orbit.db.sqlite.SqliteDatabaseService;
import dev.orbit.db.sqlite.SqliteOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import dev.orbit.db.postgres.PostgresDatabaseService;
import dev.orbit.db.postgres.PostgresOptions;
import dev.orbit.db.postgres.PostgresTestServer;
import java.util.concurrent.ConcurrentHashMap;

/** Opens backends for the service tests. */
final class TestDatabases {
    private TestDatabases() {
    }

    /**
     * A new, independent MongoDB handle on the test's database for {@code dir}: like {@link #sqlite}, two
     * calls with one directory give two handles (two "processes") on one database.
     */
    static DatabaseService mongo(MongoTestServer server, Path dir) {
        MongoOptions options = MONGO_DATABASES.computeIfAbsent(dir, d -> server.newDatabase());
        MongoDatabaseService db = new MongoDatabaseService(options, OrbitSchema.SCHEMA);
        db.initialize();
        return db;
    }

    /** Test directories are unique per test, so each test gets its own database. */
    private static final Map<Path, MongoOptions> MONGO_DATABASES = new ConcurrentHashMap<>();

    /**
     * A new, independent PostgreSQL handle on the test's database for {@code dir} (like {@link #mongo}). The
     * first call for a directory makes the database and hands {@code cleanup} what drops it after the test.
     */
    static DatabaseService postgres(Path dir, Consumer<AutoCloseable> cleanup) {
        PostgresOptions options = POSTGRES_DATABASES.computeIfAbsent(dir, d -> {
            PostgresOptions made = PostgresTestServer.newDatabase();
            cleanup.accept(() -> PostgresTestServer.drop(made));
            return made;
        });
        PostgresDatabaseService db = new PostgresDatabaseService(options, OrbitSchema.SCHEMA);
        db.initialize();
        return db;
    }

    private static final Map<Path, PostgresOptions> POSTGRES_DATABASES = new ConcurrentHashMap<>();

    /**
     * A new, independent SQLite handle on {@code dir/orbit.db}: two calls with one directory behave like two
     * server processes on one database file (separate connections, writers and caches).
     */
    static DatabaseService sqlite(Path dir) {
        SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(dir.resolve("orbit.db")),
                OrbitSchema.SCHEMA);
        db.initialize();
        return db;
    }
}
