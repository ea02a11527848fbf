package dev.orbit.service;

import dev.orbit.db.DatabaseService;
import java.nio.file.Path;

/** {@link FeedbackAndThreadsServiceTest} on PostgreSQL (the shared test server, or ORBIT_TEST_POSTGRES_URL). */
class PostgresFeedbackAndThreadsServiceTest extends FeedbackAndThreadsServiceTest {
    @Override
    protected DatabaseService openDatabase(Path dir) {
        return TestDatabases.postgres(dir, this::closeLater);
    }
}
