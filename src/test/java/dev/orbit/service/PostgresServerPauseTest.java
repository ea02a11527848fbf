package dev.orbit.service;

import dev.orbit.db.DatabaseService;
import java.nio.file.Path;

/** {@link ServerPauseTest} on PostgreSQL. */
class PostgresServerPauseTest extends ServerPauseTest {
    @Override
    protected DatabaseService openDatabase(Path dir) {
        return TestDatabases.postgres(dir, this::closeLater);
    }
}
