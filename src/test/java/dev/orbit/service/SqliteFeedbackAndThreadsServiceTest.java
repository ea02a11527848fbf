package dev.orbit.service;

import dev.orbit.db.DatabaseService;
import java.nio.file.Path;

/** {@link FeedbackAndThreadsServiceTest} on SQLite. */
class SqliteFeedbackAndThreadsServiceTest extends FeedbackAndThreadsServiceTest {
    @Override
    protected DatabaseService openDatabase(Path dir) {
        return TestDatabases.sqlite(dir);
    }
}
