package dev.orbit.db.sqlite;

import dev.orbit.db.DatabaseConnectionException;
import dev.orbit.db.DatabaseException;
import dev.orbit.db.DatabaseOperationException;
import dev.orbit.db.DatabaseTimeoutException;
import dev.orbit.db.DuplicateKeyException;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Turns sqlite-jdbc's exceptions into the persistence layer's, naming the operation and collection. */
final class SqliteErrors {
    private SqliteErrors() {
    }

    static DatabaseException translate(SQLException e, String operation, String collection) {
        String where = "sqlite " + operation + (collection == null ? "" : " on " + collection);
        String message = where + ": " + e.getMessage();
        int primary = primaryCode(e);
        if (isUniqueViolation(e)) {
            return new DuplicateKeyException(collection, e.getMessage(), e);
        }
        return switch (primary) {
            case 5, 6 -> new DatabaseTimeoutException(where + ": database is busy (another writer held the lock"
                    + " past the busy timeout): " + e.getMessage(), e);
            case 14, 26, 23 -> new DatabaseConnectionException(message, e);
            default -> new DatabaseOperationException(message, e);
        };
    }

    /**
     * Whether the failure may have rolled back the whole transaction (SQLite does so on a full disk, I/O
     * error, out of memory, interrupt or busy), so the work of every job in a shared batch is in doubt.
     */
    static boolean endsTransaction(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException e) {
                int code = primaryCode(e);
                return code == 5 || code == 6 || code == 7 || code == 9 || code == 10 || code == 11 || code == 13;
            }
        }
        return false;
    }

    /** Whether SQLite answered "busy" or "locked". */
    static boolean isBusy(SQLException e) {
        int code = primaryCode(e);
        return code == 5 || code == 6;
    }

    /** SQLite's primary result code (the low byte of an extended one). */
    private static int primaryCode(SQLException e) {
        if (e instanceof SQLiteException sqlite) {
            return sqlite.getResultCode().code & 0xff;
        }
        return e.getErrorCode() & 0xff;
    }

    private static boolean isUniqueViolation(SQLException e) {
        if (e instanceof SQLiteException sqlite) {
            SQLiteErrorCode code = sqlite.getResultCode();
            if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE || code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY) {
                return true;
            }
        }
        String text = e.getMessage();
        return text != null && (text.contains("UNIQUE constraint failed") || text.contains("PRIMARY KEY constraint failed"));
    }
}
