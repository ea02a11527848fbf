package dev.orbit.bench;

import dev.orbit.db.Document;
import java.time.Instant;
import java.util.Map;

/** Deterministic chat_history rows for the benchmarks: {@code perSession} messages per session. */
final class ChatRows {
    static final String CONTENT = "The quick brown fox jumps over the lazy dog; a typical short chat message of about a hundred bytes.";
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private ChatRows() {
    }

    static String sessionId(long session) {
        return "bench-session-" + session;
    }

    /** Row {@code n}: session {@code n / perSession}, timestamps increasing within a session. */
    static Document row(long n, int perSession) {
        long session = n / perSession;
        return Document.of(
                "session_id", sessionId(session),
                "role", n % 2 == 0 ? "user" : "assistant",
                "content", CONTENT,
                "timestamp", START.plusMillis(n),
                "user_id", "user-" + (session % 1000),
                "api_key", "...abc123",
                "api_key_hash", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                "metadata", Map.of("adapter_name", "simple-chat", "model", "mock"),
                "message_hash", Long.toHexString(n * 0x9E3779B97F4A7C15L),
                "token_count", 24L);
    }
}
