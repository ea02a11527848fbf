package dev.orbit.db.postgres;

import dev.orbit.db.DatabaseContractTest;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.Schema;
import org.junit.jupiter.api.AfterEach;

/** The contract suite against PostgreSQL: a new database on the shared test server for every test. */
class PostgresContractTest extends DatabaseContractTest {
    private PostgresOptions options;

    @Override
    protected DatabaseService openDatabase(Schema schema) {
        options = PostgresTestServer.newDatabase();
        return new PostgresDatabaseService(options, schema);
    }

    @AfterEach
    void dropDatabase() {
        if (options != null) {
            // This runs before the suite's own close: close first, so the pool is not cut off under it.
            db.close();
            PostgresTestServer.drop(options);
        }
    }
}
