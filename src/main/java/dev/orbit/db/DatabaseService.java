package dev.orbit.db;

import java.util.List;
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

    /**
     * {@link #executeTransaction} for short work of document operations only (no waiting, no other I/O), which the
     * backend may commit together with other callers' writes: on SQLite it is one job of the group commit, in a
     * savepoint of its own (an exclusive transaction would end every batch); elsewhere it is a transaction. All or
     * nothing as a transaction, and the exception the work throws is rethrown unchanged.
     *
     * No default: a decorator that fell back to {@link #executeTransaction} would turn SQLite's group-commit job into
     * an exclusive transaction that ends every batch (it did, through the metrics wrapper).
     *
     * @throws TransactionsNotSupportedException where the server cannot run multi-document transactions
     */
    <T> T executeAtomically(TransactionWork<T> work);

    /** {@link #executeTransaction} for work that returns nothing. */
    default void useTransaction(Consumer<DocumentStore> work) {
        executeTransaction(tx -> {
            work.accept(tx);
            return null;
        });
    }

    /**
     * Hands every document of the collection to {@code consumer} in lists of at most {@code batchSize}, in
     * ascending {@code _id} order, and returns how many it handed over. One cursor reads them, so memory holds
     * one batch however large the collection is (for exports and migrations; paging with {@code gt("_id", last)}
     * would skip MongoDB's ObjectIds). SQLite reads one snapshot on one read connection, held until the scan
     * ends; MongoDB reads through one server cursor, which may or may not see writes made meanwhile. Where ids
     * of several kinds are mixed (ObjectIds and other strings on MongoDB) the order is the backend's own:
     * ascending within each kind, each document exactly once. An exception thrown by {@code consumer} ends
     * the scan and is rethrown unchanged.
     *
     * @throws InvalidQueryException for an unknown collection or a batch size below 1
     */
    long scan(String collection, int batchSize, Consumer<List<Document>> consumer);

    /** The backend's short name for metrics labels: {@code sqlite}, {@code mongodb} or {@code postgres}. */
    String backendName();

    /** What the backend can report about its connections and writer, read at each metrics scrape; none by default. */
    default List<BackendMeter> meters() {
        return List.of();
    }

    /** What runs where, for logs and {@code orbit db status}; never holds a password. */
    String describe();

    /** Releases connections and background work; further calls fail. Idempotent. */
    @Override
    void close();
}
