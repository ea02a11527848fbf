package dev.orbit.service;

import java.time.Instant;
import java.util.List;

/**
 * A stored API key as admins see it: never the key itself, only {@code maskedKey} ({@code "***"} + last 4).
 *
 * @param systemPromptName the name of the tied prompt in listings and details, else null
 */
public record ApiKey(String id, String maskedKey, String clientName, String notes, boolean active, Instant createdAt,
                     String adapterName, String systemPromptId, String systemPromptName, List<String> allowedUserIds,
                     List<String> allowedEmails) {
    public ApiKey {
        allowedUserIds = List.copyOf(allowedUserIds);
        allowedEmails = List.copyOf(allowedEmails);
    }

    ApiKey withSystemPromptName(String name) {
        return new ApiKey(id, maskedKey, clientName, notes, active, createdAt, adapterName, systemPromptId, name,
                allowedUserIds, allowedEmails);
    }
}
