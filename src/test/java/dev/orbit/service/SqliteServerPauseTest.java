package dev.orbit.service;

import dev.orbit.db.DatabaseService;
import java.nio.file.Path;

/** {@link ServerPauseTest} on Sqlite. */
class SqliteServerPauseTest extends ServerPauseTest {
    @Override
    protected DatabaseService openDatabase(Path dir) {
        return TestDatabases.sqlite(dir);
    }
}
