package dev.orbit.service;

/** A new API key: the full key, shown only in this reply (only its hash is stored), and the stored record. */
public record CreatedApiKey(String apiKey, ApiKey record) {
    /** The key is never shown. */
    @Override
    public String toString() {
        return "CreatedApiKey[apiKey=" + record.maskedKey() + ", record=" + record + "]";
    }
}
