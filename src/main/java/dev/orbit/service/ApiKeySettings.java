package dev.orbit.service;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link ApiKeyService}.
 *
 * @param prefix       what new keys start with ({@code api_keys.prefix}, "orbit_")
 * @param cacheTtl     how long a validated key is served from memory; bounds how late another process's
 *                     deactivation, deletion or rename takes effect here (at most 2 seconds)
 * @param cacheEntries how many keys the cache holds
 */
public record ApiKeySettings(String prefix, Duration cacheTtl, int cacheEntries) {
    /** The staleness bound the cache must keep for changes made by other processes. */
    public static final Duration MAX_STALENESS = Duration.ofSeconds(2);

    public ApiKeySettings {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.length() > 32 || !prefix.chars().allMatch(ch -> ch < 128 && (Character.isLetterOrDigit(ch) || ch == '_' || ch == '-'))) {
            throw new IllegalArgumentException("API key prefix must be at most 32 characters of [A-Za-z0-9_-], got \""
                    + prefix + "\"");
        }
        Checks.atMost("API key cache TTL", cacheTtl, MAX_STALENESS);
        Checks.between("API key cache entries", cacheEntries, 1, 10_000_000);
    }

    /** Prefix "orbit_", a 1-second cache of up to 10,000 keys. */
    public static ApiKeySettings defaults() {
        return new ApiKeySettings("orbit_", Duration.ofSeconds(1), 10_000);
    }
}
