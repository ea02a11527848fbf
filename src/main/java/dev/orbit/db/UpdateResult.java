package dev.orbit.db;

/**
 * What an update did: how many documents matched its filter, and the id of the document an upsert
 * inserted (null when none was inserted).
 */
public record UpdateResult(long matchedCount, String upsertedId) {
    public boolean wasUpserted() {
        return upsertedId != null;
    }
}
