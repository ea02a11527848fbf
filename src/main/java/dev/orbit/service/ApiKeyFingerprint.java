package dev.orbit.service;

import java.util.Objects;

/**
 * What chat history records of the API key that wrote a message: its SHA-256 (which decides who owns a
 * session) and a masked form ({@code "..."} + last 6 characters) for display. Never holds the key itself.
 */
public record ApiKeyFingerprint(String sha256, String masked) {
    public ApiKeyFingerprint {
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(masked, "masked");
    }

    public static ApiKeyFingerprint of(String apiKey) {
        Objects.requireNonNull(apiKey, "apiKey");
        String tail = apiKey.length() <= 6 ? apiKey : apiKey.substring(apiKey.length() - 6);
        return new ApiKeyFingerprint(Secrets.sha256Hex(apiKey), "..." + tail);
    }
}
