package dev.orbit.db;

/**
 * Thrown before anything reaches the database when a query, update or document is not allowed:
 * an unknown collection or field, a hostile name, a value of the wrong type, an unsupported operator.
 */
public final class InvalidQueryException extends DatabaseException {
    public InvalidQueryException(String message) {
        super(message);
    }
}
