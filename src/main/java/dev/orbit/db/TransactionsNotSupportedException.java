package dev.orbit.db;

/** Thrown by {@code executeTransaction} on a server that cannot run multi-document transactions. */
public final class TransactionsNotSupportedException extends DatabaseException {
    public TransactionsNotSupportedException(String message, Throwable cause) {
        super(message, cause);
    }
}
