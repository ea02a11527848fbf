package dev.orbit.service;

import java.util.Objects;

/**
 * A conversation as a chat client deletes it: its messages, and what hangs on them. Only the API key that owns
 * the session may delete it (403 before anything is deleted).
 */
public final class ConversationService {
    private final ChatHistoryService history;

    public ConversationService(ChatHistoryService history) {
        this.history = Objects.requireNonNull(history, "history");
    }

    /** Deletes the session's messages once its owner is checked; an unknown session deletes nothing. */
    public DeletedConversation delete(String sessionId, ApiKeyFingerprint key) {
        history.checkAccess(sessionId, key);
        ClearedSession cleared = history.clear(sessionId, key);
        return new DeletedConversation(cleared.sessionId(), cleared.deletedCount(), 0, 0, cleared.timestamp());
    }
}
