package dev.orbit.db;

/** Thrown when the database failed to carry out an operation for a reason not covered by a subclass. */
public class DatabaseOperationException extends DatabaseException {
    public DatabaseOperationException(String message, Throwable cause) {
        super(message, cause);
    }
}
