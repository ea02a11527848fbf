package dev.orbit.service;

import java.time.Instant;

/** What {@code GET /admin/api-keys/{id}/status} reports; for an unknown key only {@code exists=false}. */
public record ApiKeyStatus(boolean exists, boolean active, String adapterName, String clientName, Instant createdAt,
                           PromptLink systemPrompt) {
    /** The prompt a key is tied to, and whether it still exists. */
    public record PromptLink(String id, boolean exists) {
    }

    static final ApiKeyStatus MISSING = new ApiKeyStatus(false, false, null, null, null, null);
}
