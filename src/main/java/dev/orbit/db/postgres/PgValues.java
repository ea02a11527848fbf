package dev.orbit.db.postgres;

import dev.orbit.db.FieldSpec;
import dev.orbit.db.FieldType;
import dev.orbit.db.sql.JsonText;
import dev.orbit.db.sql.SqlColumns;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.util.PGobject;

/**
 * Canonical values to PostgreSQL parameters and native columns back: {@code text COLLATE "C"} (binary order,
 * as on the other backends), {@code bigint}, {@code double precision}, {@code boolean}, {@code timestamptz},
 * and {@code jsonb} for maps and lists (instants inside as {@code {"$date": text}}, like SQLite's JSON).
 */
final class PgValues {
    /** The JSON spelling {@code jsonb} keeps: strings escaped ({@link PgText}), doubles with a fraction digit. */
    static final JsonText.Form JSON = new JsonText.Form(PgText::encode, true);

    private PgValues() {
    }

    /** The column type for a field type. */
    static String columnType(FieldType type) {
        return switch (type) {
            case STRING -> "text COLLATE \"C\"";
            case LONG -> "bigint";
            case DOUBLE -> "double precision";
            case BOOLEAN -> "boolean";
            case INSTANT -> "timestamptz";
            case MAP, LIST -> "jsonb";
        };
    }

    /** The name pg_type gives {@link #columnType}'s type. */
    static String typeName(FieldType type) {
        return switch (type) {
            case STRING -> "text";
            case LONG -> "int8";
            case DOUBLE -> "float8";
            case BOOLEAN -> "bool";
            case INSTANT -> "timestamptz";
            case MAP, LIST -> "jsonb";
        };
    }

    /** Binds a canonical value (null allowed); maps and lists as {@code jsonb}. */
    static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        switch (value) {
            case null -> statement.setNull(index, Types.NULL);
            case String s -> statement.setString(index, PgText.encode(s));
            case Long l -> statement.setLong(index, l);
            case Double d -> statement.setDouble(index, d);
            case Boolean b -> statement.setBoolean(index, b);
            case Instant t -> statement.setObject(index, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
            case Map<?, ?> m -> statement.setObject(index, jsonb(m));
            case List<?> l -> statement.setObject(index, jsonb(l));
            default -> throw new IllegalArgumentException("not a canonical value: " + value.getClass().getName());
        }
    }

    /**
     * A canonical value as the text PostgreSQL reads for its column ({@link #castFromText}), or null. Exact:
     * instants are whole milliseconds in ISO-8601 UTC, doubles finite in their shortest round-trip form.
     */
    static String text(Object value) {
        return switch (value) {
            case null -> null;
            case String s -> PgText.encode(s);
            case Long l -> l.toString();
            case Double d -> d.toString();
            case Boolean b -> b.toString();
            case Instant t -> t.toString();
            case Map<?, ?> m -> json(m);
            case List<?> l -> json(l);
            default -> throw new IllegalArgumentException("not a canonical value: " + value.getClass().getName());
        };
    }

    /** The cast that turns {@link #text}'s form of a field type into the column's type. */
    static String castFromText(FieldType type) {
        return type == FieldType.STRING ? "" : "::" + columnType(type);
    }

    private static PGobject jsonb(Object value) throws SQLException {
        PGobject object = new PGobject();
        object.setType("jsonb");
        object.setValue(json(value));
        return object;
    }

    static String json(Object value) {
        return JsonText.write(value, JSON);
    }

    /** Reads column {@code column} (1-based) as the field's canonical value, or null. */
    static Object read(ResultSet rows, int column, FieldSpec field) throws SQLException {
        return switch (field.type()) {
            case STRING -> PgText.decode(rows.getString(column));
            case LONG -> SqlColumns.longOrNull(rows, column);
            case DOUBLE -> SqlColumns.doubleOrNull(rows, column);
            case BOOLEAN -> {
                boolean value = rows.getBoolean(column);
                yield rows.wasNull() ? null : value;
            }
            case INSTANT -> {
                OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
                yield value == null ? null : value.toInstant();
            }
            case MAP, LIST -> readJson(rows.getString(column));
        };
    }

    static Object readJson(String text) {
        if (text == null) {
            return null;
        }
        Object value = JsonText.read(text);
        // jsonb prints U+0001 as an escape; only then can a string need decoding.
        return text.contains("\\u0001") ? decodeStrings(value) : value;
    }

    private static Object decodeStrings(Object value) {
        return switch (value) {
            case String s -> PgText.decode(s);
            case Map<?, ?> m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, v) -> out.put(PgText.decode((String) k), decodeStrings(v)));
                yield Collections.unmodifiableMap(out);
            }
            case List<?> l -> {
                List<Object> out = new ArrayList<>(l.size());
                l.forEach(v -> out.add(decodeStrings(v)));
                yield Collections.unmodifiableList(out);
            }
            default -> value;
        };
    }
}
