package dev.orbit.db.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JDBC connection and its prepared statements, reused by SQL text (generated SQL comes in a small
 * number of shapes, so most calls skip parsing). Used by one thread at a time, never shared.
 */
final class SqlConnection implements AutoCloseable {
    private static final int MAX_CACHED_STATEMENTS = 256;

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= MAX_CACHED_STATEMENTS) {
                return false;
            }
            closeQuietly(eldest.getValue());
            return true;
        }
    };

    SqlConnection(Connection connection) {
        this.connection = connection;
    }

    /**
     * A prepared statement for the SQL, cached. Callers bind every parameter on each use (the SQL text fixes
     * how many there are), so earlier values are never cleared: clearing bindings makes SQLite re-prepare a
     * statement whose plan used a bound value, which costs more than the query itself on small reads.
     */
    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    /** Runs a statement without parameters (transaction control, pragmas, DDL); cached like any other. */
    void execute(String sql) throws SQLException {
        PreparedStatement statement = prepare(sql);
        if (statement.execute()) {
            // A pragma's answer row: close it, or the statement stays active and holds its lock.
            statement.getResultSet().close();
        }
    }

    /**
     * Drops every cached statement; called after a failed statement, since sqlite-jdbc may have
     * finalized it (e.g. when a SQL function raised an error) while it still looks open.
     */
    void forgetStatements() {
        statements.values().forEach(SqlConnection::closeQuietly);
        statements.clear();
    }

    Connection jdbc() {
        return connection;
    }

    @Override
    public void close() throws SQLException {
        statements.values().forEach(SqlConnection::closeQuietly);
        statements.clear();
        connection.close();
    }

    private static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException ignored) {
            // The statement is being discarded; a failure to free it cannot affect any result.
        }
    }
}
