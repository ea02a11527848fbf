package dev.orbit.db.sqlite;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A database as an older reference ORBIT (Python) leaves it, in plain SQL that its SQLite and its PostgreSQL
 * backends both wrote the same way (one table per collection, {@code id TEXT}, timestamps as ISO-8601
 * {@code TEXT}, booleans as {@code INTEGER} 0/1, lists and maps as JSON {@code TEXT}). As a SQLite file: its five tables without the
 * columns added later, its own index names, an unrelated table with data, {@code user_version} 0, and
 * timestamps in the several ISO-8601 shapes its versions wrote.
 */
public final class ReferenceDatabase {
    /** One stored timestamp: where it is, its text as the reference wrote it, and the instant it means. */
    public record Stamp(String table, String id, String column, String stored, Instant intended) {
    }

    public static final List<Stamp> STAMPS = List.of(
            stamp("users", "u-admin", "created_at", "2026-01-02T03:04:05.678901+00:00", "2026-01-02T03:04:05.678901Z"),
            stamp("users", "u-admin", "last_login", "2026-01-02T05:04:05+02:00", "2026-01-02T03:04:05Z"),
            stamp("users", "u-bob", "created_at", "2026-01-02 03:04:05", "2026-01-02T03:04:05Z"),
            stamp("sessions", "s-1", "expires", "2099-01-02T15:04:05Z", "2099-01-02T15:04:05Z"),
            stamp("sessions", "s-1", "created_at", "2026-01-02T03:04:05+00:00", "2026-01-02T03:04:05Z"),
            stamp("api_keys", "k-1", "created_at", "2026-01-02T03:04:05Z", "2026-01-02T03:04:05Z"),
            stamp("api_keys", "k-2", "created_at", "2026-01-01T23:59:59-05:00", "2026-01-02T04:59:59Z"),
            stamp("system_prompts", "p-1", "created_at", "2026-01-02T03:04:05.678901+00:00", "2026-01-02T03:04:05.678901Z"),
            stamp("system_prompts", "p-1", "updated_at", "2026-01-02 03:04:05", "2026-01-02T03:04:05Z"),
            // One session's messages; the raw text order (c6, c4, c1, c2, c3, c5) is not their time order.
            stamp("chat_history", "c-1", "timestamp", "2026-01-02T03:04:05.678901+00:00", "2026-01-02T03:04:05.678901Z"),
            stamp("chat_history", "c-2", "timestamp", "2026-01-02T03:04:06+00:00", "2026-01-02T03:04:06Z"),
            stamp("chat_history", "c-3", "timestamp", "2026-01-02T03:04:07Z", "2026-01-02T03:04:07Z"),
            stamp("chat_history", "c-4", "timestamp", "2026-01-02 03:04:08", "2026-01-02T03:04:08Z"),
            stamp("chat_history", "c-5", "timestamp", "2026-01-02T05:04:04+02:00", "2026-01-02T03:04:04Z"),
            stamp("chat_history", "c-6", "timestamp", "2026-01-01T23:59:59-05:00", "2026-01-02T04:59:59Z"));

    /** The chat_history ids in time order. */
    public static final List<String> MESSAGES_IN_TIME_ORDER = List.of("c-5", "c-1", "c-2", "c-3", "c-4", "c-6");

    private ReferenceDatabase() {
    }

    static void create(Path file) throws SQLException {
        RawSqlite.execute(file, statements().toArray(String[]::new));
    }

    /** The SQL that builds the reference database, valid on SQLite and on PostgreSQL. */
    public static List<String> statements() {
        List<String> statements = new ArrayList<>(List.of(
                "CREATE TABLE users (id TEXT PRIMARY KEY, username TEXT UNIQUE NOT NULL, password TEXT NOT NULL,"
                        + " role TEXT NOT NULL, roles TEXT, active INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL,"
                        + " last_login TEXT)",
                "CREATE TABLE sessions (id TEXT PRIMARY KEY, token TEXT UNIQUE NOT NULL, user_id TEXT NOT NULL,"
                        + " username TEXT NOT NULL, expires TEXT NOT NULL, created_at TEXT NOT NULL)",
                "CREATE TABLE api_keys (id TEXT PRIMARY KEY, api_key TEXT UNIQUE NOT NULL, client_name TEXT NOT NULL,"
                        + " notes TEXT, active INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, adapter_name TEXT,"
                        + " system_prompt_id TEXT)",
                "CREATE TABLE system_prompts (id TEXT PRIMARY KEY, name TEXT UNIQUE NOT NULL, prompt TEXT NOT NULL,"
                        + " version TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
                "CREATE TABLE chat_history (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, role TEXT NOT NULL,"
                        + " content TEXT NOT NULL, timestamp TEXT NOT NULL, user_id TEXT, api_key TEXT, metadata_json TEXT)",
                "CREATE INDEX idx_chat_session ON chat_history(session_id, timestamp)",
                "CREATE INDEX idx_sessions_exp ON sessions(expires)",
                "CREATE TABLE adapter_stats (name TEXT PRIMARY KEY, calls INTEGER NOT NULL, last_used TEXT)",
                "INSERT INTO adapter_stats VALUES ('default', 42, '2026-01-02 03:04:05'), ('qa', 7, NULL)",

                "INSERT INTO users (id, username, password, role, roles, active, created_at, last_login) VALUES"
                        + " ('u-admin', 'admin', 'c2FsdA==', 'admin', '[\"admin\", \"user\"]', 1, '', ''),"
                        + " ('u-bob', 'bob', 'c2FsdA==', 'user', '[\"user\"]', 0, '', NULL)",
                "INSERT INTO sessions VALUES ('s-1', '" + "ab".repeat(32) + "', 'u-admin', 'admin', '', '')",
                "INSERT INTO api_keys (id, api_key, client_name, notes, active, created_at, adapter_name) VALUES"
                        + " ('k-1', 'orbit_abc123', 'acme', NULL, 1, '', 'default'),"
                        + " ('k-2', 'orbit_def456', 'globex', 'paused', 0, '', NULL)",
                "INSERT INTO system_prompts VALUES ('p-1', 'default', 'Be helpful.', '1.0', '', '')",
                "INSERT INTO chat_history (id, session_id, role, content, timestamp, user_id, api_key, metadata_json)"
                        + " VALUES ('c-1', 'sess-1', 'user', 'hello', '', 'u-admin', '...abc123',"
                        + " '{\"model\": \"gpt-4o\", \"tokens\": 12, \"ok\": true, \"tags\": [\"a\", \"b\"]}'),"
                        + " ('c-2', 'sess-1', 'assistant', 'hi', '', 'u-admin', '...abc123', NULL),"
                        + " ('c-3', 'sess-1', 'user', 'how are you', '', 'u-admin', '...abc123', NULL),"
                        + " ('c-4', 'sess-1', 'assistant', 'fine', '', 'u-admin', '...abc123', NULL),"
                        + " ('c-5', 'sess-1', 'user', 'first', '', 'u-admin', '...abc123', NULL),"
                        + " ('c-6', 'sess-1', 'assistant', 'last', '', NULL, NULL, NULL)"));
        for (Stamp s : STAMPS) {
            statements.add("UPDATE " + s.table() + " SET " + s.column() + " = '" + s.stored() + "' WHERE id = '"
                    + s.id() + "'");
        }
        return statements;
    }

    private static Stamp stamp(String table, String id, String column, String stored, String intended) {
        return new Stamp(table, id, column, stored, Instant.parse(intended));
    }
}
