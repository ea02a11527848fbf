package dev.orbit.service;

import java.time.Duration;

/**
 * Settings of {@link ChatHistoryService}.
 *
 * @param enabled              whether the chat routes keep history at all ({@code chat_history.enabled})
 * @param retentionDays        messages older than this are deleted; 0 keeps them forever
 * @param defaultLimit         messages returned when a request names no limit
 * @param maxMessagesPerSession oldest messages beyond this many in one session are deleted; 0 for no cap
 * @param retentionBatchSize   messages deleted per write by the retention job
 * @param retentionInterval    how often the retention job runs
 */
public record ChatHistorySettings(boolean enabled, int retentionDays, int defaultLimit, int maxMessagesPerSession,
                                  int retentionBatchSize, Duration retentionInterval) {
    public ChatHistorySettings {
        Checks.between("chat history retention days", retentionDays, 0, 36_500);
        Checks.between("chat history default limit", defaultLimit, 1, ChatHistoryService.MAX_LIMIT);
        Checks.between("chat history max messages per session", maxMessagesPerSession, 0, 10_000_000);
        Checks.between("chat history retention batch size", retentionBatchSize, 1, 10_000);
        Checks.positive("chat history retention interval", retentionInterval);
    }

    /** Enabled, 90 days, 50 messages, no per-session cap, batches of 500, hourly. */
    public static ChatHistorySettings defaults() {
        return new ChatHistorySettings(true, 90, 50, 0, 500, Duration.ofHours(1));
    }

    public ChatHistorySettings withMaxMessagesPerSession(int value) {
        return new ChatHistorySettings(enabled, retentionDays, defaultLimit, value, retentionBatchSize, retentionInterval);
    }

    public ChatHistorySettings withRetention(int days, int batchSize) {
        return new ChatHistorySettings(enabled, days, defaultLimit, maxMessagesPerSession, batchSize, retentionInterval);
    }
}
