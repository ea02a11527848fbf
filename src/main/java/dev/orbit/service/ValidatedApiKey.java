package dev.orbit.service;

/**
 * A key that may serve a chat request: the record, the fingerprint chat history stores, the adapter, and the
 * system prompt tied to it (null when none, or when it was deleted).
 */
public record ValidatedApiKey(ApiKey key, ApiKeyFingerprint fingerprint, AdapterCatalog.Adapter adapter,
                              Prompt systemPrompt) {
}
