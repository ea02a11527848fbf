package dev.orbit.service;

import java.time.Instant;
import java.util.List;

/**
 * A stored API key as admins see it: never the key itself, only {@code maskedKey} ({@code "***"} + last 4).
 *
 * @param systemPromptName the name of the tied prompt in listings and details, else null
 * @param quota            the key's own quota settings (each null where the configured default applies)
 */
public record ApiKey(String id, String maskedKey, String clientName, String notes, boolean active, Instant createdAt,
                     String adapterName, String systemPromptId, String systemPromptName, List<String> allowedUserIds,
                     List<String> allowedEmails, KeyQuota quota) {
    public ApiKey {
        java.util.Objects.requireNonNull(quota, "quota");
        allowedUserIds = List.copyOf(allowedUserIds);
        allowedEmails = List.copyOf(allowedEmails);
    }

    /** What stands for the hidden part of a key. */
    public static final String MASK = "***";
    /** How many of a key's last characters are shown. */
    public static final int SHOWN = 4;

    /**
     * How a raw key appears anywhere but the reply that creates it (listings, logs, the CLI): {@code ***} and
     * its last 4 characters, or only {@code ***} when it is no longer than that.
     */
    public static String mask(String rawKey) {
        return rawKey.length() <= SHOWN ? MASK : MASK + rawKey.substring(rawKey.length() - SHOWN);
    }

    ApiKey withSystemPromptName(String name) {
        return new ApiKey(id, maskedKey, clientName, notes, active, createdAt, adapterName, systemPromptId, name,
                allowedUserIds, allowedEmails, quota);
    }
}
