package dev.orbit.db;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The value type of a declared field. Every backend stores and returns exactly these Java types, so a
 * document read back equals the one written.
 */
public enum FieldType {
    /** {@link String}. Ids are strings at every API. */
    STRING,
    /** {@link Long}. */
    LONG,
    /** {@link Double}; integral numbers written to a DOUBLE field are widened. */
    DOUBLE,
    /** {@link Boolean}. */
    BOOLEAN,
    /** {@link Instant}, UTC, millisecond precision. */
    INSTANT,
    /** A nested document: {@code Map<String, Object>} of any supported values. */
    MAP,
    /** {@code List<Object>} of any supported values. */
    LIST;

    /** Whether a range comparison (gt, lt, ...) and sorting mean something for this type. */
    public boolean isOrdered() {
        return this == STRING || this == LONG || this == DOUBLE || this == INSTANT || this == BOOLEAN;
    }

    public boolean isNumeric() {
        return this == LONG || this == DOUBLE;
    }

    /** The name used in error messages. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether a (normalized) value is of this type. */
    public boolean accepts(Object value) {
        return switch (this) {
            case STRING -> value instanceof String;
            case LONG -> value instanceof Long;
            case DOUBLE -> value instanceof Double;
            case BOOLEAN -> value instanceof Boolean;
            case INSTANT -> value instanceof Instant;
            case MAP -> value instanceof Map<?, ?>;
            case LIST -> value instanceof List<?>;
        };
    }
}
