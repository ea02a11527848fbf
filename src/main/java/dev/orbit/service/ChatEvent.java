package dev.orbit.service;

import java.time.Instant;
import java.util.Objects;

/**
 * One AI call as the chat routes saw it, for the conversation audit and usage rollups. {@code query} and
 * {@code response} are null unless the audit stores content.
 *
 * @param apiKeyHash  SHA-256 of the key; {@code apiKeyValue} its masked form ({@code "..."} + last characters)
 * @param callType    {@code chat} or {@code completions}
 * @param usageReported whether the provider reported the token counts (false: estimated, or none as the call failed)
 */
public record ChatEvent(Instant timestamp, String apiKeyHash, String apiKeyValue, String apiKeyId, String clientName,
                        String adapterName, String provider, String model, String sessionId, String userId,
                        long promptTokens, long completionTokens, boolean usageReported, long latencyMs, ChatOutcome outcome,
                        String requestId, String callType, String ip, String query, String response) {
    public ChatEvent {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** How a chat call ended. */
    public enum ChatOutcome {
        SUCCESS, PROVIDER_ERROR, TIMEOUT, CANCELLED, STORE_FAILED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Whether the call counts as an error in the rollups (a client that left is not the gateway's error). */
        public boolean isError() {
            return this == PROVIDER_ERROR || this == TIMEOUT || this == STORE_FAILED;
        }
    }
}
