package dev.orbit.service;

import dev.orbit.db.DatabaseService;
import java.nio.file.Path;

/** {@link AuditServicesTest} on PostgreSQL (the shared test server, or ORBIT_TEST_POSTGRES_URL). */
class PostgresAuditServicesTest extends AuditServicesTest {
    @Override
    protected DatabaseService openDatabase(Path dir) {
        return TestDatabases.postgres(dir, this::closeLater);
    }
}
