package dev.orbit.http;

import static dev.orbit.db.Filters.all;
import static dev.orbit.db.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.db.Document;
import dev.orbit.db.OrbitSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the admin audit cannot be written, no reply claims a change: the database itself refuses the audit writes
 * (a SQLite trigger, as a full disk or a broken table would), and the gateway is the production one.
 */
class AdminAuditFailureTest {
    @TempDir
    Path dir;

    private Orbit orbit;

    @AfterEach
    void stop() {
        if (orbit != null) {
            orbit.close();
        }
    }

    private Orbit start() {
        orbit = Orbit.start(TestBackend.SQLITE, dir, null, AuditRoutesTest.AUDIT_ON);
        return orbit;
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("orbit.db"));
             Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /** Makes SQLite refuse every INSERT or UPDATE of an admin audit record, as a full disk would. */
    private void refuseAuditWrites(String operation) throws SQLException {
        sql("CREATE TRIGGER refuse_" + operation + " BEFORE " + operation + " ON audit_admin_logs"
                + " BEGIN SELECT RAISE(ABORT, 'audit store refuses'); END");
    }

    private Reply createKey(String admin, String client) {
        return orbit.post("/admin/api-keys").bearer(admin)
                .json(Map.of("client_name", client, "adapter_name", Orbit.ADAPTER)).send();
    }

    private List<Document> keys(String client) {
        return orbit.gateway().database().findMany(OrbitSchema.API_KEYS, eq("client_name", client));
    }

    @Test
    void aStoreThatRefusesTheRecordRefusesTheChangeBeforeItIsMade() throws Exception {
        start();
        String admin = orbit.adminToken();
        refuseAuditWrites("INSERT");

        Reply refused = createKey(admin, "never-made");

        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.detail()).isEqualTo(AdminAudit.NOT_RECORDED);
        assertThat(keys("never-made")).isEmpty();

        sql("DROP TRIGGER refuse_INSERT");
        assertThat(createKey(admin, "made").status()).isEqualTo(200);
        assertThat(keys("made")).hasSize(1);
    }

    @Test
    void aChangeWhoseRecordCannotBeCompletedIsAnsweredAsAppliedButNotAuditedNeverAsSuccess() throws Exception {
        start();
        String admin = orbit.adminToken();
        refuseAuditWrites("UPDATE");

        Reply reply = createKey(admin, "made-unaudited");

        assertThat(reply.status()).as(reply.body()).isEqualTo(500);
        assertThat(reply.detail()).isEqualTo(AdminAudit.NOT_COMPLETED);
        assertThat(reply.body()).doesNotContain("api_key");
        assertThat(keys("made-unaudited")).hasSize(1); // the change happened, as the reply says
        // ... and its record exists, written before the change, without an outcome.
        Document record = orbit.gateway().database().findMany(OrbitSchema.AUDIT_ADMIN_LOGS, all()).stream()
                .filter(d -> d.getString("event_type").equals("admin.api_key.create")).findFirst().orElseThrow();
        assertThat(record.getLong("status_code")).isZero();
        assertThat(record.getBoolean("success")).isNull();
        assertThat(record.getString("actor_username")).isEqualTo("admin");
        assertThat(record.getString("request_id"))
                .isEqualTo(reply.headers().firstValue("X-Request-ID").orElseThrow());
    }
}
