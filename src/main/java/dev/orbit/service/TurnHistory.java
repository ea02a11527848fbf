package dev.orbit.service;

import java.util.List;
import java.util.Optional;

/**
 * What a chat turn reads before the model is asked ({@link ChatHistoryService#forTurn}): the session's context,
 * oldest first, and the turn already stored under the request's idempotency key, if any (a retry).
 */
public record TurnHistory(List<ContextMessage> context, Optional<ChatTurn> stored) {
    public TurnHistory {
        context = List.copyOf(context);
    }
}
