package dev.orbit.service;

import java.util.Map;
import java.util.Objects;

/**
 * A message to store: role ("user", "assistant" or "system"), content, optional metadata (JSON-like values)
 * and optional token count (estimated from the length when null).
 */
public record NewMessage(String role, String content, Map<String, Object> metadata, Long tokenCount) {
    public NewMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        metadata = metadata == null ? Map.of() : metadata;
    }

    public static NewMessage user(String content) {
        return new NewMessage("user", content, Map.of(), null);
    }

    public static NewMessage assistant(String content) {
        return new NewMessage("assistant", content, Map.of(), null);
    }

    public NewMessage withMetadata(Map<String, Object> value) {
        return new NewMessage(role, content, value, tokenCount);
    }
}
