package dev.orbit.db.postgres;

import dev.orbit.db.DatabaseConnectionException;
import dev.orbit.db.DatabaseException;
import dev.orbit.db.DatabaseOperationException;
import dev.orbit.db.DatabaseTimeoutException;
import dev.orbit.db.DuplicateKeyException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** Turns pgJDBC's and HikariCP's exceptions into the persistence layer's, by SQLSTATE. */
final class PgErrors {
    private PgErrors() {
    }

    /**
     * Whether the connection failed or the server went away: a statement's outcome is then unknown (it may
     * have committed), unlike an error the server reported for it.
     */
    static boolean isConnectionLost(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
    }

    /** Whether a unique index refused the statement. */
    static boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    static DatabaseException translate(SQLException e, String operation, String collection) {
        String where = "postgres " + operation + (collection == null ? "" : " on " + collection);
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = where + ": " + e.getMessage();
        if (isDuplicateKey(e)) {
            return new DuplicateKeyException(collection, e.getMessage(), e);
        }
        if (e instanceof SQLTransientConnectionException) {
            // HikariCP: no connection became free (or could be made) within the connection timeout.
            return new DatabaseTimeoutException(message, e);
        }
        if (isConnectionLost(e) || state.equals("28P01") || state.equals("28000") || state.equals("3D000")) {
            return new DatabaseConnectionException(message, e);
        }
        if (state.equals("57014") || state.equals("55P03")) {
            return new DatabaseTimeoutException(message, e);
        }
        return new DatabaseOperationException(message, e);
    }
}
