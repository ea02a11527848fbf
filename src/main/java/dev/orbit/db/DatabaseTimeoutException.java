package dev.orbit.db;

/** Thrown when an operation gave up waiting (for a lock, the server or a pool) after its time limit. */
public final class DatabaseTimeoutException extends DatabaseException {
    public DatabaseTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
