package dev.orbit.service;

import dev.orbit.db.DatabaseService;
import java.nio.file.Path;

/** {@link BlacklistServiceTest} on PostgreSQL. */
class PostgresBlacklistServiceTest extends BlacklistServiceTest {
    @Override
    protected DatabaseService openDatabase(Path dir) {
        return TestDatabases.postgres(dir, this::closeLater);
    }
}
