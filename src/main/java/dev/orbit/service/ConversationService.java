package dev.orbit.service;

import java.util.Objects;

/**
 * A conversation as a chat client deletes it: its messages, the threads branched from it (with their messages)
 * and the votes on it. Only the API key that owns the session may delete it (403 before anything is deleted).
 */
public final class ConversationService {
    private final ChatHistoryService history;
    private final ThreadService threads;
    private final FeedbackService feedback;

    public ConversationService(ChatHistoryService history, ThreadService threads, FeedbackService feedback) {
        this.history = Objects.requireNonNull(history, "history");
        this.threads = Objects.requireNonNull(threads, "threads");
        this.feedback = Objects.requireNonNull(feedback, "feedback");
    }

    /** Deletes the conversation once its owner is checked; an unknown session deletes nothing. */
    public DeletedConversation delete(String sessionId, ApiKeyFingerprint key) {
        history.checkAccess(sessionId, key);
        // The messages go first: a vote or a branch arriving meanwhile (from any gateway) then finds no message
        // and is refused, instead of leaving a row behind that outlives the conversation.
        ClearedSession cleared = history.clear(sessionId, key);
        long deletedThreads = threads.deleteOfSession(sessionId, key);
        long deletedFeedback = feedback.deleteOfSession(sessionId);
        return new DeletedConversation(cleared.sessionId(), cleared.deletedCount(), deletedThreads, deletedFeedback,
                cleared.timestamp());
    }
}
