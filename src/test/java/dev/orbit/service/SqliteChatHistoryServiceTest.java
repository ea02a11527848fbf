package dev.orbit.service;

import dev.orbit.db.DatabaseService;
import java.nio.file.Path;

/** {@link ChatHistoryServiceTest} on SQLite. */
class SqliteChatHistoryServiceTest extends ChatHistoryServiceTest {
    @Override
    protected DatabaseService openDatabase(Path dir) {
        return TestDatabases.sqlite(dir);
    }
}
