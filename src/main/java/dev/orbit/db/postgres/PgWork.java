package dev.orbit.db.postgres;

import java.sql.Connection;
import java.sql.SQLException;

/** Work on one JDBC connection. */
@FunctionalInterface
interface PgWork<T> {
    T run(Connection connection) throws SQLException;
}
