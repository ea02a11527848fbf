package dev.orbit.http;

import dev.orbit.db.DatabaseException;
import dev.orbit.inference.Completion;
import dev.orbit.inference.InferenceException;
import dev.orbit.inference.InferenceTimeoutException;
import dev.orbit.observability.Metrics;
import dev.orbit.service.AuditServices;
import dev.orbit.service.ChatEvent;
import dev.orbit.service.ChatEvent.ChatOutcome;
import dev.orbit.service.QuotaService;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each chat call, however it ended, to the chat meters and to the conversation audit and usage rollups. Queuing never blocks the
 * chat ({@link dev.orbit.service.AuditWriter}); a retried turn answered from the store asked no model and is not a
 * call. The texts go along only when the audit stores content.
 */
final class ChatAudit {
    static final String CHAT = "chat";
    static final String COMPLETIONS = "completions";

    private static final Logger LOG = LoggerFactory.getLogger(ChatAudit.class);

    private final AuditServices audit;
    private final QuotaService quotas;
    private final Metrics metrics;
    private final Clock clock;

    ChatAudit(AuditServices audit, QuotaService quotas, Metrics metrics, Clock clock) {
        this.audit = audit;
        this.quotas = quotas;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** A reply that arrived whole, or was cut off because the client left. */
    void completed(ChatPipeline.Turn turn, Completion completion, String callType) {
        record(turn, completion, completion.cancelled() ? ChatOutcome.CANCELLED : ChatOutcome.SUCCESS, callType);
    }

    /** A whole reply that could not be stored. */
    void notStored(ChatPipeline.Turn turn, Completion completion, String callType) {
        record(turn, completion, ChatOutcome.STORE_FAILED, callType);
    }

    void failed(ChatPipeline.Turn turn, InferenceException e, String callType) {
        record(turn, null, e instanceof InferenceTimeoutException ? ChatOutcome.TIMEOUT : ChatOutcome.PROVIDER_ERROR,
                callType);
    }

    private void record(ChatPipeline.Turn turn, Completion completion, ChatOutcome outcome, String callType) {
        if (turn.replay() != null) {
            return;
        }
        metrics.chatTurn(turn.adapter().name(), turn.adapter().model(), turn.adapter().providerName(),
                outcome.name().toLowerCase(java.util.Locale.ROOT),
                completion == null ? 0 : completion.usage().promptTokens(),
                completion == null ? 0 : completion.usage().completionTokens());
        if (completion != null) {
            spend(turn, completion);
        }
        if (!audit.settings().chatEnabled()) {
            return;
        }
        boolean content = audit.settings().storeContent();
        long latencyMs = (System.nanoTime() - turn.startNanos()) / 1_000_000;
        var key = turn.key();
        audit.recordChat(new ChatEvent(clock.instant(), key.fingerprint().sha256(), key.fingerprint().masked(),
                key.key().id(), key.key().clientName(), turn.adapter().name(), turn.adapter().providerName(),
                turn.adapter().model(), turn.sessionId(), turn.userId(),
                completion == null ? 0 : completion.usage().promptTokens(),
                completion == null ? 0 : completion.usage().completionTokens(),
                completion != null && !completion.usage().estimated(), latencyMs, outcome, turn.requestId(),
                callType, turn.clientIp(), content ? turn.userMessage() : null,
                content && completion != null ? completion.text() : null));
    }

    /**
     * The turn's tokens and cost (the usage rollups' prices) against the key's budgets: one atomic write, made before
     * the reply is written and only for a key with a budget in force. The turn is already stored, so a failing
     * write is logged, not turned into an error the client would retry.
     */
    private void spend(ChatPipeline.Turn turn, Completion completion) {
        long prompt = completion.usage().promptTokens();
        long generated = completion.usage().completionTokens();
        // Both come from the provider's reply: saturate rather than wrap to a negative count.
        long tokens = prompt > Long.MAX_VALUE - generated ? Long.MAX_VALUE : prompt + generated;
        try {
            quotas.spent(turn.key().key(), tokens,
                    audit.usage().prices().cost(turn.adapter().model(), prompt, generated).usd());
        } catch (DatabaseException e) {
            LOG.error("request {}: counting {} tokens against the budgets of key {} failed: {}", turn.requestId(),
                    tokens, turn.key().key().id(), e.getMessage());
        }
    }
}
