package dev.orbit.service;

import java.util.List;

/**
 * The fields of an API key an admin sets on create and update. On update a null optional field is left as
 * it is; an empty list clears an allow-list.
 */
public record ApiKeyRequest(String clientName, String adapterName, String notes, String systemPromptId,
                            List<String> allowedUserIds, List<String> allowedEmails) {
    public static ApiKeyRequest of(String clientName, String adapterName) {
        return new ApiKeyRequest(clientName, adapterName, null, null, null, null);
    }

    public ApiKeyRequest withNotes(String value) {
        return new ApiKeyRequest(clientName, adapterName, value, systemPromptId, allowedUserIds, allowedEmails);
    }

    public ApiKeyRequest withSystemPromptId(String value) {
        return new ApiKeyRequest(clientName, adapterName, notes, value, allowedUserIds, allowedEmails);
    }

    public ApiKeyRequest withAllowedUserIds(List<String> value) {
        return new ApiKeyRequest(clientName, adapterName, notes, systemPromptId, value, allowedEmails);
    }

    public ApiKeyRequest withAllowedEmails(List<String> value) {
        return new ApiKeyRequest(clientName, adapterName, notes, systemPromptId, allowedUserIds, value);
    }
}
