package dev.orbit.db;

import java.util.List;

/**
 * The chat tables' indexes as schema version 12 had them, in SQL both SQL backends run: the migration tests turn a
 * current database back into a version-12 one with these statements (and the backend's version mark).
 */
public final class ChatIndexesOfVersion12 {
    public static final List<String> STATEMENTS = List.of(
            "DROP INDEX idx_chat_history_session_sequence_key",
            "DROP INDEX idx_chat_sessions_named_user_activity",
            "CREATE INDEX idx_chat_history_session_time ON chat_history (session_id, timestamp)",
            "CREATE INDEX idx_chat_history_user_time ON chat_history (user_id, timestamp)",
            "CREATE INDEX idx_chat_history_api_key ON chat_history (api_key)",
            "CREATE INDEX idx_chat_history_session_key_hash ON chat_history (session_id, api_key_hash)",
            "CREATE UNIQUE INDEX idx_chat_history_sequence_key ON chat_history (sequence_key)",
            "CREATE INDEX idx_chat_sessions_user_activity ON chat_sessions (user_id, last_activity)");

    private ChatIndexesOfVersion12() {
    }

    /** {@link #STATEMENTS}, then {@code mark} (the statement that sets the backend's schema version to 12). */
    public static String[] then(String mark) {
        return java.util.stream.Stream.concat(STATEMENTS.stream(), java.util.stream.Stream.of(mark))
                .toArray(String[]::new);
    }
}
