package dev.orbit.service;

import dev.orbit.db.DatabaseService;
import java.nio.file.Path;

/** {@link SharedCountersTest} on PostgreSQL (the shared test server, or ORBIT_TEST_POSTGRES_URL). */
class PostgresSharedCountersTest extends SharedCountersTest {
    @Override
    protected DatabaseService openDatabase(Path dir) {
        return TestDatabases.postgres(dir, this::closeLater);
    }
}
