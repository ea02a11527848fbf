package dev.orbit.db.sqlite;

import java.sql.SQLException;

/** Work on a connection that may fail with an {@link SQLException}. */
@FunctionalInterface
interface SqlWork<T> {
    T run(SqlConnection connection) throws SQLException;
}
