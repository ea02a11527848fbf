package dev.orbit.service;

import java.time.Instant;

/**
 * A follow-up thread: a session of its own ({@code threadSessionId}) that starts with the parent turn, the
 * question ({@code queryContext}) and the assistant message it branched from.
 */
public record ConversationThread(String threadId, String threadSessionId, String parentMessageId,
                                 String parentSessionId, String adapterName, String queryContext, String datasetKey,
                                 Instant createdAt, Instant expiresAt) {
}
