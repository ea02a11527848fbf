package dev.orbit.service;

import java.time.Instant;

/** What clearing a session did. */
public record ClearedSession(String sessionId, long deletedCount, Instant timestamp) {
}
