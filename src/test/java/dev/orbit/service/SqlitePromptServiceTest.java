package dev.orbit.service;

import dev.orbit.db.DatabaseService;
import java.nio.file.Path;

/** {@link PromptServiceTest} on SQLite. */
class SqlitePromptServiceTest extends PromptServiceTest {
    @Override
    protected DatabaseService openDatabase(Path dir) {
        return TestDatabases.sqlite(dir);
    }
}
