package dev.orbit.service;

import dev.orbit.db.DatabaseService;
import java.nio.file.Path;

class PostgresAuthServiceTest extends AuthServiceTest {
    @Override
    protected DatabaseService openDatabase(Path dir) {
        return TestDatabases.postgres(dir, this::closeLater);
    }
}
