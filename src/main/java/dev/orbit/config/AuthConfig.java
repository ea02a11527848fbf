package dev.orbit.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code auth} section: sessions, the first admin account and password hashing.
 *
 * @param defaultAdminPassword empty when not configured; the auth service then decides what to do
 * @param pbkdf2Iterations     PBKDF2 rounds for the reference's legacy password hashes
 * @param apiKeyAdminAccess    whether an API key alone may call admin endpoints
 */
public record AuthConfig(int sessionDurationHours, String defaultAdminUsername, Optional<Secret> defaultAdminPassword,
                         int pbkdf2Iterations, boolean apiKeyAdminAccess) {
    public AuthConfig {
        Objects.requireNonNull(defaultAdminUsername, "defaultAdminUsername");
        Objects.requireNonNull(defaultAdminPassword, "defaultAdminPassword");
    }

    /** Reads and checks the section. */
    public static AuthConfig read(ConfigNode auth) {
        return new AuthConfig(
                auth.integer("session_duration_hours", 12, 1, 24 * 366),
                auth.string("default_admin_username", "admin"),
                auth.string("default_admin_password").map(Secret::new),
                auth.integer("pbkdf2_iterations", 600_000, 1_000, 100_000_000),
                auth.bool("api_key_admin_access", false));
    }
}
