package dev.orbit.service;

/**
 * Settings of {@link PromptService}.
 *
 * @param cacheTtl     how long a prompt is served from memory (at most 2 seconds, as for API keys)
 * @param cacheEntries how many prompts the cache holds
 */
public record PromptSettings(java.time.Duration cacheTtl, int cacheEntries) {
    public PromptSettings {
        Checks.atMost("prompt cache TTL", cacheTtl, ApiKeySettings.MAX_STALENESS);
        Checks.between("prompt cache entries", cacheEntries, 1, 10_000_000);
    }

    /** A 1-second cache of up to 1,000 prompts. */
    public static PromptSettings defaults() {
        return new PromptSettings(java.time.Duration.ofSeconds(1), 1_000);
    }
}
