package dev.orbit.service;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.sqlite.SqliteDatabaseService;
import dev.orbit.db.sqlite.SqliteOptions;
import java.nio.file.Path;

/** Opens backends for the service tests. */
final class TestDatabases {
    private TestDatabases() {
    }

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
