package dev.orbit.db;

/** Thrown when a database was written by a newer ORBIT than this one, or its schema cannot be upgraded. */
public final class SchemaVersionException extends DatabaseException {
    public SchemaVersionException(String message) {
        super(message);
    }
}
