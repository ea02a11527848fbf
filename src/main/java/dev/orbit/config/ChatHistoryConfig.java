package dev.orbit.config;

/**
 * The {@code chat_history} section.
 *
 * @param collectionName the MongoDB collection of chat messages (SQLite always uses the table {@code chat_history})
 * @param retentionDays  how long messages are kept; 0 keeps them forever
 * @param defaultLimit   how many messages a history request returns when it names no limit
 */
public record ChatHistoryConfig(boolean enabled, String collectionName, int retentionDays, int defaultLimit) {
    /** Reads and checks the section. */
    public static ChatHistoryConfig read(ConfigNode chatHistory) {
        return new ChatHistoryConfig(
                chatHistory.bool("enabled", true),
                chatHistory.string("collection_name", "chat_history"),
                chatHistory.integer("retention_days", 90, 0, 36_500),
                chatHistory.integer("default_limit", 50, 1, 10_000));
    }
}
