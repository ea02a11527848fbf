package dev.orbit.service;

import java.time.Instant;
import java.util.Map;

/** A stored chat message; {@code messageId} is its record id. */
public record ChatMessage(String messageId, String sessionId, String role, String content, Instant timestamp,
                          String userId, Map<String, Object> metadata, long tokenCount) {
}
