package dev.orbit.bench;

import dev.orbit.db.DatabaseService;

/**
 * One backend under benchmark: ORBIT's {@link DatabaseService} on it, and the same work done with the
 * backend's plain driver (the baseline the service is compared with), on the same database.
 */
public interface BenchTarget extends AutoCloseable {
    /** What runs where, for the report's first line; never holds a password. */
    String describe();

    /** The initialized service, with ORBIT's schema and indexes. */
    DatabaseService service();

    /** Inserts rows {@code from .. from+count-1} ({@link ChatRows#row}) with the driver, in batches. */
    void rawInsert(long from, long count, int perSession) throws Exception;

    /** The latest 50 messages of a session with the driver, reading every field; returns how many. */
    int rawLatest50(String sessionId) throws Exception;

    @Override
    void close() throws Exception;
}
