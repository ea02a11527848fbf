package dev.orbit.db.sqlite;

import dev.orbit.db.DatabaseContractTest;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.Schema;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract suite against SQLite: a new database file in a fresh temporary directory for every test. */
class SqliteContractTest extends DatabaseContractTest {
    @TempDir
    Path tempDir;

    @Override
    protected DatabaseService openDatabase(Schema schema) {
        return new SqliteDatabaseService(SqliteOptions.defaults(tempDir.resolve("orbit.db")), schema);
    }
}
