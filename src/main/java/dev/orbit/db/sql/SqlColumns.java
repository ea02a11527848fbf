package dev.orbit.db.sql;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Reading numeric columns as canonical values: JDBC returns 0 for SQL NULL, which must stay missing. */
public final class SqlColumns {
    private SqlColumns() {
    }

    public static Long longOrNull(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : value;
    }

    public static Double doubleOrNull(ResultSet rows, int column) throws SQLException {
        double value = rows.getDouble(column);
        return rows.wasNull() ? null : value;
    }
}
