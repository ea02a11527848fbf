package dev.orbit.service;

import java.time.Instant;

/** What deleting a conversation removed: its messages and, with them, its threads and feedback. */
public record DeletedConversation(String sessionId, long deletedMessages, long deletedThreads, long deletedFeedback,
                                  Instant timestamp) {
}
