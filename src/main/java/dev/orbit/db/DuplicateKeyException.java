package dev.orbit.db;

/** Thrown when a write would break a unique index. */
public final class DuplicateKeyException extends DatabaseException {
    private final String collection;

    public DuplicateKeyException(String collection, String message, Throwable cause) {
        super(collection + ": duplicate key: " + message, cause);
        this.collection = collection;
    }

    public String collection() {
        return collection;
    }
}
