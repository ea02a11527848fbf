package dev.orbit.service;

import dev.orbit.db.DatabaseService;
import java.nio.file.Path;

class PostgresChatHistoryServiceTest extends ChatHistoryServiceTest {
    @Override
    protected DatabaseService openDatabase(Path dir) {
        return TestDatabases.postgres(dir, this::closeLater);
    }
}
