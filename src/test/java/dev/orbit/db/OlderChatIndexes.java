package dev.orbit.db;

import java.util.List;
import java.util.stream.Stream;

/**
 * The chat tables' indexes as older schema versions had them, in SQL both SQL backends run: the migration tests turn
 * a current database back into one of such a version with these statements (and the backend's version mark).
 */
public final class OlderChatIndexes {
    /** From the current indexes to version 13's: separate order, place and message_hash indexes per session. */
    public static final List<String> VERSION_13 = List.of(
            "DROP INDEX idx_chat_history_session_sequence",
            "DROP INDEX idx_chat_history_session_idempotency",
            "CREATE UNIQUE INDEX idx_chat_history_session_sequence_key ON chat_history (session_id, sequence_key)",
            "CREATE INDEX idx_chat_history_session_order ON chat_history (session_id, sequence, timestamp, id)",
            "CREATE UNIQUE INDEX idx_chat_history_session_message_hash ON chat_history (session_id, message_hash)");

    /** From the current indexes to version 12's. */
    public static final List<String> VERSION_12 = Stream.concat(VERSION_13.stream(), Stream.of(
            "DROP INDEX idx_chat_history_session_sequence_key",
            "DROP INDEX idx_chat_sessions_named_user_activity",
            "CREATE INDEX idx_chat_history_session_time ON chat_history (session_id, timestamp)",
            "CREATE INDEX idx_chat_history_user_time ON chat_history (user_id, timestamp)",
            "CREATE INDEX idx_chat_history_api_key ON chat_history (api_key)",
            "CREATE INDEX idx_chat_history_session_key_hash ON chat_history (session_id, api_key_hash)",
            "CREATE UNIQUE INDEX idx_chat_history_sequence_key ON chat_history (sequence_key)",
            "CREATE INDEX idx_chat_sessions_user_activity ON chat_sessions (user_id, last_activity)")).toList();

    private OlderChatIndexes() {
    }

    /** {@code statements}, then {@code mark} (the statement that sets the backend's schema version). */
    public static String[] then(List<String> statements, String mark) {
        return Stream.concat(statements.stream(), Stream.of(mark)).toArray(String[]::new);
    }
}
