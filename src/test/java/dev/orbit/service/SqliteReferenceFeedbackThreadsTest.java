package dev.orbit.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.db.DatabaseService;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A reference ORBIT's {@code orbit.db} opens in place with its {@code feedback} and {@code conversation_threads}
 * rows readable and writable through the services: as the reference's whole file (schema version 0), and as a
 * file this project opened before it served those tables (schema version 3, the reference's tables left as
 * they were).
 */
class SqliteReferenceFeedbackThreadsTest extends ServiceTestBase {
    static final ApiKeyFingerprint KEY = ApiKeyFingerprint.of("orbit_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

    // The reference's sqlite_service DDL for the two tables, and its indexes.
    private static final List<String> REFERENCE_TABLES = List.of(
            "CREATE TABLE feedback (id TEXT PRIMARY KEY, message_id TEXT NOT NULL, session_id TEXT NOT NULL,"
                    + " user_id TEXT, feedback_type TEXT NOT NULL, adapter_name TEXT, comment TEXT,"
                    + " created_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
            "CREATE UNIQUE INDEX idx_feedback_message_session ON feedback(message_id, session_id)",
            "CREATE INDEX idx_feedback_session ON feedback(session_id)",
            "CREATE TABLE conversation_threads (id TEXT PRIMARY KEY, parent_message_id TEXT NOT NULL,"
                    + " parent_session_id TEXT NOT NULL, thread_session_id TEXT NOT NULL, adapter_name TEXT NOT NULL,"
                    + " query_context TEXT NOT NULL, dataset_key TEXT NOT NULL, created_at TEXT NOT NULL,"
                    + " expires_at TEXT NOT NULL, metadata_json TEXT, owner_api_key_hash TEXT)",
            "CREATE INDEX idx_conversation_threads_expires_at ON conversation_threads(expires_at)",
            "CREATE INDEX idx_conversation_threads_owner ON conversation_threads(owner_api_key_hash)");

    private static final String THREAD_ID = "6f1c2d3e-0000-4000-8000-000000000001";

    private static List<String> referenceRows() {
        return List.of(
                "INSERT INTO feedback VALUES ('f-1', 'm-2', 'ref-s', 'u-1', 'up', 'simple-chat', 'good',"
                        + " '2026-01-02T03:04:05.678901+00:00', '2026-01-02T03:04:05.678901+00:00')",
                "INSERT INTO conversation_threads VALUES ('" + THREAD_ID + "', 'm-2', 'ref-s', 'thread-s',"
                        + " 'simple-chat', 'What is ORBIT?', 'thread_dataset:abc', '2026-02-28T10:00:00.000000+00:00',"
                        + " '2099-03-01T18:00:00.000000+00:00', '{\"source\": \"reference\"}', '" + KEY.sha256() + "')");
    }

    private static void execute(Path file, List<String> statements) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static int userVersion(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("PRAGMA user_version")) {
            return rows.next() ? rows.getInt(1) : -1;
        }
    }

    @Override
    protected DatabaseService openDatabase(Path dir) {
        return TestDatabases.sqlite(dir);
    }

    @Test
    void aReferenceFileServesItsFeedbackAndThreads() throws Exception {
        Path file = tempDir.resolve("orbit.db");
        // The reference creates all its tables at start-up: ORBIT recognises its file by them (Ownership).
        execute(file, List.of("CREATE TABLE users (id TEXT PRIMARY KEY, username TEXT UNIQUE NOT NULL,"
                        + " password TEXT NOT NULL, role TEXT NOT NULL, roles TEXT, active INTEGER NOT NULL DEFAULT 1,"
                        + " created_at TEXT NOT NULL, last_login TEXT)",
                "CREATE TABLE sessions (id TEXT PRIMARY KEY, token TEXT UNIQUE NOT NULL, user_id TEXT NOT NULL,"
                        + " username TEXT NOT NULL, expires TEXT NOT NULL, created_at TEXT NOT NULL)",
                "CREATE TABLE api_keys (id TEXT PRIMARY KEY, api_key TEXT UNIQUE NOT NULL, client_name TEXT NOT NULL,"
                        + " notes TEXT, active INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, adapter_name TEXT,"
                        + " system_prompt_id TEXT)",
                "CREATE TABLE system_prompts (id TEXT PRIMARY KEY, name TEXT UNIQUE NOT NULL, prompt TEXT NOT NULL,"
                        + " version TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)"));
        execute(file, List.of("CREATE TABLE chat_history (id TEXT PRIMARY KEY, session_id TEXT NOT NULL,"
                + " role TEXT NOT NULL, content TEXT NOT NULL, timestamp TEXT NOT NULL, user_id TEXT, api_key TEXT,"
                + " metadata_json TEXT)",
                "INSERT INTO chat_history VALUES ('m-1', 'ref-s', 'user', 'What is ORBIT?',"
                        + " '2026-01-02T03:04:00.000000+00:00', 'u-1', NULL, NULL)",
                "INSERT INTO chat_history VALUES ('m-2', 'ref-s', 'assistant', 'A gateway.',"
                        + " '2026-01-02T03:04:01.000000+00:00', 'u-1', NULL, NULL)"));
        execute(file, REFERENCE_TABLES);
        execute(file, referenceRows());

        checkServed(file);
    }

    @Test
    void aFileOfSchemaVersion3WithTheReferencesTablesIsUpgradedInPlace() throws Exception {
        Path file = tempDir.resolve("orbit.db");
        openDatabase(tempDir).close();
        execute(file, List.of("DROP TABLE feedback", "DROP TABLE conversation_threads",
                "INSERT INTO chat_history (id, session_id, role, content, timestamp) VALUES"
                        + " ('m-1', 'ref-s', 'user', 'What is ORBIT?', '2026-01-02T03:04:00.000000+00:00')",
                "INSERT INTO chat_history (id, session_id, role, content, timestamp) VALUES"
                        + " ('m-2', 'ref-s', 'assistant', 'A gateway.', '2026-01-02T03:04:01.000000+00:00')",
                "PRAGMA user_version = 3"));
        execute(file, REFERENCE_TABLES);
        execute(file, referenceRows());

        checkServed(file);
        assertThat(userVersion(file)).isGreaterThanOrEqualTo(6);
    }

    private void checkServed(Path file) throws SQLException {
        ChatHistoryService history = chatHistoryService(db(), ChatHistorySettings.defaults());
        FeedbackService feedback = new FeedbackService(db(), history, clock);
        ThreadService threads = new ThreadService(db(), history, Duration.ofHours(24), clock);

        assertThat(feedback.ofSession("ref-s", KEY)).containsExactly(new Feedback("m-2", "up", "good", null));
        ConversationThread thread = threads.get(THREAD_ID, KEY);
        assertThat(thread.queryContext()).isEqualTo("What is ORBIT?");
        assertThat(thread.expiresAt()).isEqualTo(Instant.parse("2099-03-01T18:00:00Z"));
        assertThat(thread.createdAt()).isEqualTo(Instant.parse("2026-02-28T10:00:00Z"));
        // The reference's vote toggles off like one of ours, and a new one is stored beside its rows.
        assertThat(feedback.vote(new FeedbackService.Vote("ref-s", "m-2", "up", null, null, "simple-chat"), KEY)
                .action()).isEqualTo("removed");
        assertThat(feedback.vote(new FeedbackService.Vote("ref-s", "m-2", "down", "meh", null, "simple-chat"), KEY)
                .action()).isEqualTo("created");
        assertThat(userVersion(file)).isGreaterThanOrEqualTo(6);
    }
}
