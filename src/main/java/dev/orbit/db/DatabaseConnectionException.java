package dev.orbit.db;

/** Thrown when the database cannot be reached or opened. */
public final class DatabaseConnectionException extends DatabaseException {
    public DatabaseConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
