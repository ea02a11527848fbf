package dev.orbit.db;

/** Options of an update: with {@code upsert}, a filter that matches nothing inserts a new document. */
public record UpdateOptions(boolean upsert) {
    public static final UpdateOptions DEFAULT = new UpdateOptions(false);
    public static final UpdateOptions UPSERT = new UpdateOptions(true);
}
