package dev.orbit.db.sqlite;

import static dev.orbit.db.Filters.all;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.db.Document;
import dev.orbit.db.OrbitSchema;
import dev.orbit.service.AuditService;
import dev.orbit.service.AuditSettings;
import dev.orbit.service.ChatEvent;
import dev.orbit.service.MutableClock;
import dev.orbit.service.PriceTable;
import dev.orbit.service.UsageService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migration 7 on a database at version 4 that holds the reference ORBIT's own {@code audit_logs} and
 * {@code audit_admin_logs} (as its SQLite backend creates them, with local times without zone): the tables open
 * in place, gain this project's columns, and their rows read back typed and in time order.
 */
class AuditTablesMigrationTest {
    @TempDir
    Path dir;

    @Test
    void referenceAuditTablesOpenInPlaceAndTheirRowsReadBack() throws Exception {
        Path file = dir.resolve("orbit.db");
        try (SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(file), OrbitSchema.SCHEMA)) {
            db.initialize();
        }
        RawSqlite.execute(file, "DROP TABLE audit_logs", "DROP TABLE audit_admin_logs", "DROP TABLE usage_rollups",
                "PRAGMA user_version = 4",
                "CREATE TABLE audit_logs (id TEXT PRIMARY KEY, timestamp TEXT NOT NULL, query TEXT NOT NULL,"
                        + " response TEXT NOT NULL, response_compressed INTEGER, provider TEXT, blocked INTEGER, ip TEXT,"
                        + " ip_type TEXT, ip_is_local INTEGER, ip_source TEXT, ip_original_value TEXT, api_key_value TEXT,"
                        + " api_key_timestamp TEXT, api_key_id TEXT, session_id TEXT, user_id TEXT, adapter_name TEXT,"
                        + " model TEXT, prompt_tokens INTEGER, completion_tokens INTEGER, total_tokens INTEGER,"
                        + " reasoning_tokens INTEGER, cached_prompt_tokens INTEGER, cost_usd REAL,"
                        + " input_rate_per_1m REAL, output_rate_per_1m REAL, pricing_source TEXT, usage_unit TEXT,"
                        + " usage_quantity REAL, call_type TEXT)",
                "CREATE TABLE audit_admin_logs (id TEXT PRIMARY KEY, timestamp TEXT NOT NULL, event_type TEXT NOT NULL,"
                        + " action TEXT NOT NULL, resource_type TEXT NOT NULL, resource_id TEXT, actor_type TEXT NOT NULL,"
                        + " actor_id TEXT, actor_username TEXT, method TEXT NOT NULL, path TEXT NOT NULL,"
                        + " status_code INTEGER NOT NULL, success INTEGER, ip TEXT, ip_type TEXT, ip_is_local INTEGER,"
                        + " ip_source TEXT, ip_original_value TEXT, user_agent TEXT, error_message TEXT,"
                        + " request_summary TEXT)",
                "INSERT INTO audit_logs (id, timestamp, query, response, blocked, ip, ip_is_local, api_key_value,"
                        + " session_id, adapter_name, model, prompt_tokens, completion_tokens, total_tokens, cost_usd,"
                        + " call_type) VALUES ('c1', '2026-01-02T03:04:05.678901', 'hello?', 'hi!', 0, '10.0.0.2', 1,"
                        + " '...abcdef', 's-1', 'simple-chat', 'llama3', 12, 3, 15, 0.0, 'chat')",
                "INSERT INTO audit_admin_logs (id, timestamp, event_type, action, resource_type, resource_id,"
                        + " actor_type, actor_id, actor_username, method, path, status_code, success, request_summary)"
                        + " VALUES ('a1', '2026-01-02 04:00:00', 'admin.api_key.delete', 'DELETE', 'api_key',"
                        + " 'k-1', 'user', 'u-1', 'admin', 'DELETE', '/admin/api-keys/k-1', 200, 1,"
                        + " '{\"client_name\": \"w\"}')");

        try (SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(file), OrbitSchema.SCHEMA)) {
            db.initialize();

            assertThat(RawSqlite.userVersion(file)).isEqualTo(Migrations.LATEST);
            assertThat(RawSqlite.columns(file, "audit_logs")).contains("api_key_hash", "outcome", "latency_ms");
            assertThat(RawSqlite.columns(file, "audit_admin_logs")).contains("request_id");
            Document chat = db.findOne(OrbitSchema.AUDIT_LOGS, all()).orElseThrow();
            assertThat(chat.getInstant("timestamp")).isEqualTo(Instant.parse("2026-01-02T03:04:05.678Z"));
            assertThat(chat.getBoolean("blocked")).isFalse();
            assertThat(chat.getBoolean("ip_is_local")).isTrue();
            assertThat(chat.getLong("total_tokens")).isEqualTo(15L);
            Document admin = db.findOne(OrbitSchema.AUDIT_ADMIN_LOGS, all()).orElseThrow();
            assertThat(admin.getInstant("timestamp")).isEqualTo(Instant.parse("2026-01-02T04:00:00Z"));
            assertThat(admin.getBoolean("success")).isTrue();

            AuditService audit = new AuditService(db, new AuditSettings(true, true, false, false, 0, 0,
                    Duration.ofSeconds(1), 10, 10, false, false, Duration.ofHours(1)), Clock.systemUTC());
            AuditService.EventPage page = audit.events(new AuditService.EventQuery(AuditService.Source.ALL, 10, 0,
                    null, null, null, null, null, null, null, null, null));
            assertThat(page.events()).extracting(r -> r.document().id()).containsExactly("a1", "c1");
            assertThat(page.total()).isEqualTo(2);
            List<Document> rollups = db.findMany(OrbitSchema.USAGE_ROLLUPS, all());
            assertThat(rollups).isEmpty();
        }
    }

    @Test
    void migrationElevenGivesDailyRollupsHourRowsBesideThemAndKeepsTheirCounts() throws Exception {
        Path file = dir.resolve("orbit.db");
        try (SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(file), OrbitSchema.SCHEMA)) {
            db.initialize();
        }
        // usage_rollups as migration 7 made it, holding one day's counters.
        RawSqlite.execute(file, "ALTER TABLE usage_rollups DROP COLUMN hour",
                "ALTER TABLE usage_rollups DROP COLUMN user_id", "ALTER TABLE usage_rollups DROP COLUMN unreported_requests",
                "PRAGMA user_version = 7",
                "INSERT INTO usage_rollups (id, rollup_key, day, api_key_hash, model, requests, prompt_tokens,"
                        + " completion_tokens, total_tokens, cost_usd) VALUES ('r1', 'k1', '2026-03-01T00:00:00.000Z',"
                        + " 'h1', 'gpt-x', 3, 30, 6, 36, 0.5)");

        MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
        try (SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(file), OrbitSchema.SCHEMA)) {
            db.initialize();

            assertThat(RawSqlite.userVersion(file)).isEqualTo(Migrations.LATEST);
            assertThat(RawSqlite.columns(file, "usage_rollups")).contains("hour", "user_id", "unreported_requests");
            UsageService usage = new UsageService(db, new PriceTable(Map.of()), clock);
            usage.add(List.of(new ChatEvent(clock.instant(), "h1", "...abcdef", null, null, "chat", "mock", "gpt-x",
                    "s-1", "u-1", 10, 2, false, 5, ChatEvent.ChatOutcome.SUCCESS, "r", "chat", null, null, null)));

            UsageService.UsageReport daily = usage.report(new UsageService.UsageQuery(1, "day", "model", null, null,
                    null, null, 10));
            assertThat(daily.totals().requests()).isEqualTo(4); // the old day row and the new one
            assertThat(daily.totals().totalTokens()).isEqualTo(48);
            assertThat(daily.totals().unreportedRequests()).isEqualTo(1);
            // Hours before the upgrade were never counted per hour: only the new call is in the hourly series.
            assertThat(usage.report(new UsageService.UsageQuery(1, "hour", "model", null, null, null, null, 10))
                    .totals().requests()).isEqualTo(1);
        }
    }
}
