package dev.orbit.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code auth} section: sessions, the first admin account and password hashing.
 *
 * @param defaultAdminPassword empty when not configured; the auth service then decides what to do
 * @param pbkdf2Iterations     PBKDF2 rounds for the reference's legacy password hashes
 * @param apiKeyAdminAccess    whether an API key alone may call admin endpoints
 * @param blacklistCacheTtlSeconds how long the login blacklist's rules may be kept in memory
 *                             ({@code auth.blacklist.cache_ttl}, the reference's key; 0 reads them every time)
 */
public record AuthConfig(int sessionDurationHours, String defaultAdminUsername, Optional<Secret> defaultAdminPassword,
                         int pbkdf2Iterations, boolean apiKeyAdminAccess, int blacklistCacheTtlSeconds) {
    /** The reference's default for {@code auth.blacklist.cache_ttl}. */
    public static final int DEFAULT_BLACKLIST_CACHE_TTL_SECONDS = 30;

    public AuthConfig {
        Objects.requireNonNull(defaultAdminUsername, "defaultAdminUsername");
        Objects.requireNonNull(defaultAdminPassword, "defaultAdminPassword");
    }

    /** With the default blacklist cache lifetime. */
    public AuthConfig(int sessionDurationHours, String defaultAdminUsername, Optional<Secret> defaultAdminPassword,
                      int pbkdf2Iterations, boolean apiKeyAdminAccess) {
        this(sessionDurationHours, defaultAdminUsername, defaultAdminPassword, pbkdf2Iterations, apiKeyAdminAccess,
                DEFAULT_BLACKLIST_CACHE_TTL_SECONDS);
    }

    /** Reads and checks the section. */
    public static AuthConfig read(ConfigNode auth) {
        return new AuthConfig(
                auth.integer("session_duration_hours", 12, 1, 24 * 366),
                auth.string("default_admin_username", "admin"),
                auth.string("default_admin_password").map(Secret::new),
                auth.integer("pbkdf2_iterations", 600_000, 1_000, 100_000_000),
                auth.bool("api_key_admin_access", false),
                auth.section("blacklist").integer("cache_ttl", DEFAULT_BLACKLIST_CACHE_TTL_SECONDS, 0, 3600));
    }
}
