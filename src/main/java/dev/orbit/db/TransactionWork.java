package dev.orbit.db;

/**
 * Work run inside a transaction. It must use the store it is given (not the database service it came
 * from): everything done through it commits together when the work returns, or not at all when it throws.
 */
@FunctionalInterface
public interface TransactionWork<T> {
    T run(DocumentStore transaction);
}
