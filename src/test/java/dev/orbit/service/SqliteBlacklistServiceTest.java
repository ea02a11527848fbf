package dev.orbit.service;

import dev.orbit.db.DatabaseService;
import java.nio.file.Path;

/** {@link BlacklistServiceTest} on SQLite. */
class SqliteBlacklistServiceTest extends BlacklistServiceTest {
    @Override
    protected DatabaseService openDatabase(Path dir) {
        return TestDatabases.sqlite(dir);
    }
}
