package dev.orbit.service;

import java.time.Instant;

/** One chat session of a user: when it started, when it was last written to, and how many messages it holds. */
public record SessionSummary(String sessionId, Instant createdAt, Instant lastActivity, long messageCount) {
}
