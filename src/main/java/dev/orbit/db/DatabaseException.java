package dev.orbit.db;

/**
 * Root of every failure raised by the persistence layer; driver exceptions never escape it unwrapped.
 */
public class DatabaseException extends RuntimeException {
    public DatabaseException(String message) {
        super(message);
    }

    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
