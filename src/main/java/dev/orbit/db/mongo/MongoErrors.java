package dev.orbit.db.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoInterruptedException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoServerException;
import com.mongodb.MongoServerUnavailableException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoSocketReadTimeoutException;
import com.mongodb.MongoSocketWriteTimeoutException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteException;
import dev.orbit.db.DatabaseConnectionException;
import dev.orbit.db.DatabaseException;
import dev.orbit.db.DatabaseOperationException;
import dev.orbit.db.DatabaseTimeoutException;
import dev.orbit.db.DuplicateKeyException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the driver's exceptions into the persistence layer's, naming the operation and the collection.
 * Messages are one line and length-limited; a duplicate key names its index, never the key's value
 * (which may be an API key or a token).
 */
final class MongoErrors {
    private static final Pattern INDEX_NAME = Pattern.compile("index: ([^\\s]+)");
    private static final int MAX_DETAIL = 300;

    private MongoErrors() {
    }

    /**
     * Whether a failure (or one of its causes) is MongoDB's {@code TransientTransactionError}: the transaction was
     * aborted, typically by a write conflict with another one, and may be run again from the start.
     */
    static boolean isTransientTransactionError(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MongoException m && m.hasErrorLabel(MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL)) {
                return true;
            }
        }
        return false;
    }

    /** The persistence-layer exception for a failure of {@code operation} on {@code collection} (may be null). */
    static DatabaseException translate(RuntimeException e, String operation, String collection) {
        String where = "mongodb " + operation + (collection == null ? "" : " on " + collection);
        String duplicate = duplicateKeyMessage(e);
        if (duplicate != null) {
            // No cause: the driver's message carries the duplicated value, which may be a secret.
            return new DuplicateKeyException(collection, indexOf(duplicate), null);
        }
        return switch (e) {
            case MongoInterruptedException interrupted -> {
                Thread.currentThread().interrupt();
                yield new DatabaseOperationException(where + ": interrupted", e);
            }
            case MongoExecutionTimeoutException t -> new DatabaseTimeoutException(where + ": " + detail(e), e);
            case MongoTimeoutException t -> new DatabaseTimeoutException(where + ": " + detail(e), e);
            case MongoSocketReadTimeoutException t -> new DatabaseTimeoutException(where + ": " + detail(e), e);
            case MongoSocketWriteTimeoutException t -> new DatabaseTimeoutException(where + ": " + detail(e), e);
            case MongoSocketException s -> new DatabaseConnectionException(where + ": " + detail(e), e);
            case MongoSecurityException s -> new DatabaseConnectionException(where + ": " + detail(e), e);
            case MongoNotPrimaryException n -> new DatabaseConnectionException(where + ": " + detail(e), e);
            case MongoNodeIsRecoveringException n -> new DatabaseConnectionException(where + ": " + detail(e), e);
            case MongoServerUnavailableException u -> new DatabaseConnectionException(where + ": " + detail(e), e);
            case MongoConnectionPoolClearedException c -> new DatabaseConnectionException(where + ": " + detail(e), e);
            case MongoServerException s when ErrorCategory.fromErrorCode(s.getCode()) == ErrorCategory.EXECUTION_TIMEOUT ->
                    new DatabaseTimeoutException(where + ": " + detail(e), e);
            // How the driver refuses work on a closed client.
            case IllegalStateException closed when "state should be: open".equals(closed.getMessage()) ->
                    new DatabaseException(where + ": the MongoDB client is closed", e);
            default -> new DatabaseOperationException(where + " failed: " + detail(e), e);
        };
    }

    /** Runs driver work, turning its failures into the persistence layer's exceptions. */
    static <T> T call(String operation, String collection, Supplier<T> work) {
        try {
            return work.get();
        } catch (MongoException | IllegalStateException e) {
            throw translate(e, operation, collection);
        }
    }

    /** Whether the failure is a unique-index violation. */
    static boolean isDuplicateKey(RuntimeException e) {
        return duplicateKeyMessage(e) != null;
    }

    /** A one-line, length-limited description of a failure. */
    static String detail(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String line = message.replaceAll("\\s+", " ").strip();
        return line.length() <= MAX_DETAIL ? line : line.substring(0, MAX_DETAIL) + "...";
    }

    /** The server's message for a duplicate key, or null when the failure is something else. */
    private static String duplicateKeyMessage(RuntimeException e) {
        return switch (e) {
            case MongoWriteException w when w.getError().getCategory() == ErrorCategory.DUPLICATE_KEY ->
                    w.getError().getMessage();
            case MongoBulkWriteException b -> b.getWriteErrors().stream()
                    .filter(error -> error.getCategory() == ErrorCategory.DUPLICATE_KEY)
                    .map(error -> error.getMessage()).findFirst().orElse(null);
            case MongoServerException s when ErrorCategory.fromErrorCode(s.getCode()) == ErrorCategory.DUPLICATE_KEY ->
                    s.getMessage();
            default -> null;
        };
    }

    private static String indexOf(String serverMessage) {
        Matcher index = INDEX_NAME.matcher(serverMessage == null ? "" : serverMessage);
        return index.find() ? "index " + index.group(1) : "a unique index";
    }
}
