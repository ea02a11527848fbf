package dev.orbit.db.sqlite;

import dev.orbit.db.sql.InstantText;
import dev.orbit.db.CollectionSpec;
import dev.orbit.db.FieldSpec;
import dev.orbit.db.FieldType;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.Schema;
import dev.orbit.db.SchemaVersionException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQLite schema's versioned history and the code that applies it. Runs under {@code BEGIN
 * IMMEDIATE}, so of two processes starting together one migrates and the other then finds the work done.
 */
final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    static final List<Migration> ALL = List.of(
            new Migration(1, "create ORBIT's tables, or add the columns and indexes a reference database lacks",
                    c -> {
                        for (CollectionSpec spec : OrbitSchema.SCHEMA.collections()) {
                            SchemaReconciler.reconcile(c, spec);
                        }
                        TtlSweeper.createTable(c);
                    }),
            new Migration(2, "rewrite timestamps in one sortable UTC form of millisecond precision (reference"
                    + " databases mix several)",
                    Migrations::canonicalTimestamps),
            new Migration(3, "add api_keys.api_key_tail and the chat_sessions table (chat session owners)",
                    c -> {
                        SchemaReconciler.reconcile(c, OrbitSchema.API_KEYS_SPEC);
                        SchemaReconciler.reconcile(c, OrbitSchema.CHAT_SESSIONS_SPEC);
                    }),
            new Migration(4, "add chat_history.sequence and sequence_key (a message's place in its session) and"
                    + " their indexes",
                    c -> SchemaReconciler.reconcile(c, OrbitSchema.CHAT_HISTORY_SPEC)),
            new Migration(5, "add users.credentials_version, sessions.credentials_version and users.username_key"
                    + " (unique)",
                    c -> {
                        SchemaReconciler.reconcile(c, OrbitSchema.USERS_SPEC);
                        SchemaReconciler.reconcile(c, OrbitSchema.SESSIONS_SPEC);
                    }),
            new Migration(6, "add the feedback and conversation_threads tables, or complete the reference's and"
                    + " rewrite their timestamps in the canonical form",
                    c -> {
                        for (CollectionSpec spec : List.of(OrbitSchema.FEEDBACK_SPEC,
                                OrbitSchema.CONVERSATION_THREADS_SPEC)) {
                            SchemaReconciler.reconcile(c, spec);
                            canonicalTimestamps(c, spec);
                        }
                    }),
            new Migration(7, "add the audit_admin_logs, audit_logs and usage_rollups tables (a reference database's"
                    + " audit tables get the missing columns and one timestamp form)",
                    Migrations::auditTables),
            new Migration(8, "add the rate_counters table (quota and rate-limit counters shared by every gateway)",
                    c -> SchemaReconciler.reconcile(c, OrbitSchema.RATE_COUNTERS_SPEC)),
            new Migration(9, "add the user_blacklist and system_state tables, or complete the reference's and"
                    + " rewrite their timestamps in the canonical form",
                    c -> {
                        for (CollectionSpec spec : List.of(OrbitSchema.USER_BLACKLIST_SPEC,
                                OrbitSchema.SYSTEM_STATE_SPEC)) {
                            SchemaReconciler.reconcile(c, spec);
                            canonicalTimestamps(c, spec);
                        }
                    }),
            new Migration(10, "add conversation_threads.parent_owner_key (unique: one thread per parent message"
                    + " and key)",
                    c -> SchemaReconciler.reconcile(c, OrbitSchema.CONVERSATION_THREADS_SPEC)),
            new Migration(11, "add usage_rollups.hour (hour rows beside the day rows), user_id and"
                    + " unreported_requests",
                    c -> SchemaReconciler.reconcile(c, OrbitSchema.SCHEMA.collection(OrbitSchema.USAGE_ROLLUPS))),
            new Migration(12, "add the token and cost budgets of api_keys (quota_daily_token_limit,"
                    + " quota_monthly_token_limit, quota_monthly_cost_limit)",
                    c -> SchemaReconciler.reconcile(c, OrbitSchema.API_KEYS_SPEC)),
            new Migration(13, "fewer index pages per chat turn: drop the chat_history indexes no query uses (by"
                    + " user, by API key, by time or key hash within a session), key sequence_key after the session"
                    + " and index chat_sessions by user only where there is one",
                    c -> {
                        for (CollectionSpec spec : List.of(OrbitSchema.CHAT_HISTORY_SPEC,
                                OrbitSchema.CHAT_SESSIONS_SPEC)) {
                            SchemaReconciler.dropRetiredIndexes(c, spec);
                            SchemaReconciler.reconcile(c, spec);
                        }
                    }),
            new Migration(14, "fewer index pages per chat turn (2): one unique index of a session's places"
                    + " (session_id, sequence) gives the order and the place, replacing the session_order and"
                    + " sequence_key indexes, and the message_hash index skips messages stored without an idempotency"
                    + " key", c -> {
                SchemaReconciler.dropRetiredIndexes(c, OrbitSchema.CHAT_HISTORY_SPEC);
                SchemaReconciler.reconcile(c, OrbitSchema.CHAT_HISTORY_SPEC);
            }));

    static final int LATEST = ALL.getLast().version();

    private Migrations() {
    }

    /**
     * Applies the pending migrations, then creates or completes the tables of any further collections
     * in the schema (declared by tests or extensions, outside the versioned history).
     */
    static void migrate(SqlConnection c, Schema schema, Path path) throws SQLException {
        c.execute("BEGIN IMMEDIATE");
        try {
            int version = userVersion(c);
            refuseNewer(version, path);
            for (Migration migration : ALL) {
                if (migration.version() > version) {
                    migration.step().apply(c);
                    LOG.info("{}: applied schema migration {} ({})", path, migration.version(), migration.description());
                }
            }
            if (version < LATEST) {
                c.execute("PRAGMA user_version = " + LATEST);
            }
            for (CollectionSpec spec : schema.collections()) {
                if (!OrbitSchema.SCHEMA.contains(spec.name())) {
                    SchemaReconciler.reconcile(c, spec);
                }
            }
            c.execute("COMMIT");
        } catch (SQLException | RuntimeException e) {
            try {
                c.execute("ROLLBACK");
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        }
    }

    /** Refuses a database written by a newer ORBIT (checked again under the lock by {@link #migrate}). */
    static void refuseNewer(SqlConnection c, Path path) throws SQLException {
        refuseNewer(userVersion(c), path);
    }

    private static void refuseNewer(int version, Path path) {
        if (version > LATEST) {
            throw new SchemaVersionException(path + " has schema version " + version + ", but this ORBIT"
                    + " knows versions up to " + LATEST + ": upgrade ORBIT to open it");
        }
    }

    static int userVersion(SqlConnection c) throws SQLException {
        try (ResultSet rows = c.prepare("PRAGMA user_version").executeQuery()) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }

    private static void auditTables(SqlConnection c) throws SQLException {
        for (String name : List.of(OrbitSchema.AUDIT_ADMIN_LOGS, OrbitSchema.AUDIT_LOGS, OrbitSchema.USAGE_ROLLUPS)) {
            CollectionSpec spec = OrbitSchema.SCHEMA.collection(name);
            SchemaReconciler.reconcile(c, spec);
            // A database past version 2 may hold reference audit rows that migration 2 never saw.
            for (FieldSpec field : spec.fields().values()) {
                if (field.type() == FieldType.INSTANT) {
                    canonicalTimestamps(c, spec, field);
                }
            }
        }
    }

    private static void canonicalTimestamps(SqlConnection c) throws SQLException {
        for (CollectionSpec spec : OrbitSchema.SCHEMA.collections()) {
            canonicalTimestamps(c, spec);
        }
    }

    private static void canonicalTimestamps(SqlConnection c, CollectionSpec spec) throws SQLException {
        for (FieldSpec field : spec.fields().values()) {
            if (field.type() == FieldType.INSTANT) {
                canonicalTimestamps(c, spec, field);
            }
        }
    }

    private static void canonicalTimestamps(SqlConnection c, CollectionSpec spec, FieldSpec field)
            throws SQLException {
        String select = new SqlStatement().sql("SELECT ").name("id").sql(", ").name(field.column())
                .sql(" FROM ").name(spec.name()).sql(" WHERE ").name(field.column()).sql(" IS NOT NULL AND NOT (")
                .name(field.column()).sql(" GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:"
                        + "[0-9][0-9].[0-9][0-9][0-9]000+00:00') LIMIT 1000").text();
        String update = new SqlStatement().sql("UPDATE ").name(spec.name()).sql(" SET ").name(field.column())
                .sql(" = ? WHERE ").name("id").sql(" = ?").text();
        while (true) {
            Map<String, String> batch = new LinkedHashMap<>();
            try (ResultSet rows = c.prepare(select).executeQuery()) {
                while (rows.next()) {
                    batch.put(rows.getString(1), rows.getString(2));
                }
            }
            if (batch.isEmpty()) {
                return;
            }
            PreparedStatement statement = c.prepare(update);
            for (Map.Entry<String, String> row : batch.entrySet()) {
                statement.setString(1, InstantText.format(parse(spec, field, row.getKey(), row.getValue())));
                statement.setString(2, row.getKey());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static Instant parse(CollectionSpec spec, FieldSpec field, String id, String text) {
        try {
            return InstantText.parse(text);
        } catch (IllegalArgumentException e) {
            throw new SchemaVersionException("cannot upgrade " + spec.name() + "." + field.column() + " of row " + id
                    + ": " + e.getMessage());
        }
    }
}
