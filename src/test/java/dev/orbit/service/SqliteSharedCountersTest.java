package dev.orbit.service;

import dev.orbit.db.DatabaseService;
import java.nio.file.Path;

/** {@link SharedCountersTest} on SQLite: each handle is a separate writer on one file, as separate processes. */
class SqliteSharedCountersTest extends SharedCountersTest {
    @Override
    protected DatabaseService openDatabase(Path dir) {
        return TestDatabases.sqlite(dir);
    }
}
