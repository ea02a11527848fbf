package dev.orbit.db.sqlite;

import dev.orbit.db.sql.JsonText;
import dev.orbit.db.sql.SqlColumns;
import dev.orbit.db.sql.InstantText;
import dev.orbit.db.FieldSpec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Canonical values to SQL parameters and SQL columns back to canonical values. Booleans are integers
 * 0/1, instants canonical text ({@link InstantText}), maps and lists JSON text ({@link JsonText}).
 */
final class SqlValues {
    private SqlValues() {
    }

    /** The SQL column type for a field type. */
    static String columnType(FieldSpec field) {
        return switch (field.type()) {
            case STRING, INSTANT, MAP, LIST -> "TEXT";
            case LONG, BOOLEAN -> "INTEGER";
            case DOUBLE -> "REAL";
        };
    }

    /** Binds a canonical value (null allowed) to parameter {@code index}. */
    static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        switch (value) {
            case null -> statement.setNull(index, Types.NULL);
            case String s -> statement.setString(index, s);
            case Long l -> statement.setLong(index, l);
            case Double d -> statement.setDouble(index, d);
            case Boolean b -> statement.setInt(index, b ? 1 : 0);
            case Instant t -> statement.setString(index, InstantText.format(t));
            case Map<?, ?> m -> statement.setString(index, JsonText.write(m));
            case List<?> l -> statement.setString(index, JsonText.write(l));
            default -> throw new IllegalArgumentException("not a canonical value: " + value.getClass().getName());
        }
    }

    /** Binds the JSON form of a value, for SQL that takes {@code json(?)}. */
    static void bindJson(PreparedStatement statement, int index, Object value) throws SQLException {
        statement.setString(index, JsonText.write(value));
    }

    /** Reads column {@code column} (1-based) as the field's canonical value, or null. */
    static Object read(ResultSet rows, int column, FieldSpec field) throws SQLException {
        return switch (field.type()) {
            case STRING -> rows.getString(column);
            case LONG -> SqlColumns.longOrNull(rows, column);
            case DOUBLE -> SqlColumns.doubleOrNull(rows, column);
            case BOOLEAN -> {
                int value = rows.getInt(column);
                yield rows.wasNull() ? null : value != 0;
            }
            case INSTANT -> InstantText.parse(rows.getString(column));
            case MAP, LIST -> JsonText.read(rows.getString(column));
        };
    }
}
