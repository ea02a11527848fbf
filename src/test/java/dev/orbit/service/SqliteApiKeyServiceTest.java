package dev.orbit.service;

import dev.orbit.db.DatabaseService;
import java.nio.file.Path;

/** {@link ApiKeyServiceTest} on SQLite. */
class SqliteApiKeyServiceTest extends ApiKeyServiceTest {
    @Override
    protected DatabaseService openDatabase(Path dir) {
        return TestDatabases.sqlite(dir);
    }
}
