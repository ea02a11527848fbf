package dev.orbit.service;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link AuthService}.
 *
 * @param sessionDuration      how long a login session lasts ({@code auth.session_duration_hours})
 * @param defaultAdminUsername the account created at first start ({@code auth.default_admin_username})
 * @param defaultAdminPassword its password, or null to generate one and print it once
 * @param passwords            password hashing
 * @param throttle             login throttling
 * @param blacklistCacheTtl    how long token checks may use the login blacklist's rules before reading them again
 */
public record AuthSettings(Duration sessionDuration, String defaultAdminUsername, String defaultAdminPassword,
                           PasswordSettings passwords, LoginThrottleSettings throttle, Duration blacklistCacheTtl) {
    public AuthSettings {
        Checks.atMost("session duration", sessionDuration, Duration.ofDays(366));
        Objects.requireNonNull(defaultAdminUsername, "defaultAdminUsername");
        Objects.requireNonNull(passwords, "passwords");
        Objects.requireNonNull(throttle, "throttle");
        if (blacklistCacheTtl == null || blacklistCacheTtl.isNegative()) {
            throw new IllegalArgumentException("blacklist cache ttl must be zero or positive, got " + blacklistCacheTtl);
        }
    }

    /** With the blacklist rules cached {@link LoginBlacklist#DEFAULT_CACHE_TTL}. */
    public AuthSettings(Duration sessionDuration, String defaultAdminUsername, String defaultAdminPassword,
                        PasswordSettings passwords, LoginThrottleSettings throttle) {
        this(sessionDuration, defaultAdminUsername, defaultAdminPassword, passwords, throttle,
                LoginBlacklist.DEFAULT_CACHE_TTL);
    }

    /** 12-hour sessions, user "admin" with a generated password, default hashing and throttling. */
    public static AuthSettings defaults() {
        return new AuthSettings(Duration.ofHours(12), "admin", null,
                PasswordSettings.defaults(PasswordSettings.DEFAULT_ITERATIONS), LoginThrottleSettings.defaults());
    }

    public AuthSettings withDefaultAdminPassword(String password) {
        return new AuthSettings(sessionDuration, defaultAdminUsername, password, passwords, throttle,
                blacklistCacheTtl);
    }

    public AuthSettings withPasswords(PasswordSettings value) {
        return new AuthSettings(sessionDuration, defaultAdminUsername, defaultAdminPassword, value, throttle,
                blacklistCacheTtl);
    }

    public AuthSettings withThrottle(LoginThrottleSettings value) {
        return new AuthSettings(sessionDuration, defaultAdminUsername, defaultAdminPassword, passwords, value,
                blacklistCacheTtl);
    }

    /** The password is never shown. */
    @Override
    public String toString() {
        return "AuthSettings[sessionDuration=" + sessionDuration + ", defaultAdminUsername=" + defaultAdminUsername
                + ", defaultAdminPassword=" + (defaultAdminPassword == null ? "<generate>" : "<redacted>")
                + ", passwords=" + passwords + ", throttle=" + throttle + ", blacklistCacheTtl=" + blacklistCacheTtl
                + "]";
    }
}
