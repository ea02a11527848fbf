package dev.orbit.db.mongo;

import com.mongodb.MongoException;
import com.mongodb.ReadConcern;
import com.mongodb.TransactionOptions;
import com.mongodb.WriteConcern;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import dev.orbit.db.TransactionWork;

/**
 * Runs work in a multi-document transaction: commit when it returns, abort when it throws (the work's
 * exception is rethrown unchanged, a failed abort attached to it as suppressed). The work is not retried
 * on transient errors, because it may have effects outside the database.
 */
final class MongoTransaction {
    /** Snapshot reads and majority commits: what a transaction promises, on every deployment. */
    static final TransactionOptions OPTIONS = TransactionOptions.builder()
            .readConcern(ReadConcern.SNAPSHOT)
            .writeConcern(WriteConcern.MAJORITY)
            .build();

    private MongoTransaction() {
    }

    static <T> T run(MongoClient client, MongoDocumentStore store, TransactionWork<T> work) {
        ClientSession session = MongoErrors.call("startTransaction", null, client::startSession);
        try (session) {
            session.startTransaction(OPTIONS);
            T result;
            try {
                result = work.run(store.inSession(session));
            } catch (RuntimeException | Error e) {
                abortQuietly(session, e);
                throw e;
            }
            MongoErrors.call("commitTransaction", null, () -> {
                session.commitTransaction();
                return null;
            });
            return result;
        }
    }

    /** Aborts, attaching a failure to abort to the exception that made the transaction fail. */
    static void abortQuietly(ClientSession session, Throwable failure) {
        if (!session.hasActiveTransaction()) {
            return;
        }
        try {
            session.abortTransaction();
        } catch (MongoException | IllegalStateException e) {
            failure.addSuppressed(e);
        }
    }
}
