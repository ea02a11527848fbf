package dev.orbit.db;

import java.util.function.Consumer;

/**
 * The backend-agnostic persistence layer (the seed's {@code DatabaseService}). Services use only this
 * interface; which backend runs is a configuration choice. Implementations are thread-safe.
 */
public interface DatabaseService extends DocumentStore, AutoCloseable {
    /**
     * Opens the database and brings its schema up to date. Idempotent. Every other operation fails with a
     * {@link DatabaseException} before this has run or after {@link #close()}.
     */
    void initialize();

    /** The collections this service knows. */
    Schema schema();

    /** Creates an index if it does not exist yet. Idempotent. */
    void createIndex(String collection, IndexSpec index);

    /**
     * Runs the work atomically: everything it does through its {@link DocumentStore} commits when it
     * returns and is rolled back when it throws (the exception is rethrown unchanged). Writing through
     * this service instead of that store from inside the work throws {@link IllegalStateException} on
     * every backend (it would escape the transaction, or wait for it).
     *
     * @throws TransactionsNotSupportedException where the server cannot run multi-document transactions
     */
    <T> T executeTransaction(TransactionWork<T> work);

    /** {@link #executeTransaction} for work that returns nothing. */
    default void useTransaction(Consumer<DocumentStore> work) {
        executeTransaction(tx -> {
            work.accept(tx);
            return null;
        });
    }

    /** What runs where, for logs and {@code orbit db status}; never holds a password. */
    String describe();

    /** Releases connections and background work; further calls fail. Idempotent. */
    @Override
    void close();
}
