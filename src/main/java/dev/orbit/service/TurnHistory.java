package dev.orbit.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a chat turn reads before the model is asked ({@link ChatHistoryService#forTurn}): the session's context,
 * oldest first, the turn already stored under the request's idempotency key, if any (a retry), and where the
 * session ended when it was read, so that storing the turn need not read that again.
 */
public record TurnHistory(List<ContextMessage> context, Optional<ChatTurn> stored, SessionEnd end) {
    public TurnHistory {
        context = List.copyOf(context);
    }

    /**
     * The session's last message as read: its place ({@code sequence}; null for a reference row, which has none, or
     * for an empty session), its time and its id (both null for an empty session). Only a guess of where the next turn
     * goes: the database's unique place decides, and a guess overtaken by another writer costs one more try.
     */
    public record SessionEnd(Long sequence, Instant timestamp, String messageId) {
        static final SessionEnd EMPTY = new SessionEnd(null, null, null);
    }
}
