package dev.orbit.db;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that decides which Java values the persistence layer accepts and in which canonical
 * form: Integer/Short/Byte become Long, Float becomes Double, Instants are cut to milliseconds, maps and
 * lists are copied (recursively) into unmodifiable containers. Every backend stores what this returns.
 */
public final class Values {
    private Values() {
    }

    /** The canonical form of a value, or an {@link InvalidQueryException} naming where it was found. */
    public static Object normalize(String where, Object value) {
        return switch (value) {
            case null -> null;
            case String s -> text(where, s);
            case Long l -> l;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Double d -> finite(where, d);
            case Float f -> finite(where, f.doubleValue());
            case Boolean b -> b;
            case Instant t -> instant(where, t);
            case Map<?, ?> m -> normalizeMap(where, m);
            case List<?> l -> normalizeList(where, l);
            default -> throw new InvalidQueryException(
                    where + ": unsupported value type " + value.getClass().getName());
        };
    }

    /**
     * The canonical value for a declared field: normalized, integral numbers widened for DOUBLE fields,
     * and checked against the type.
     */
    public static Object forField(String collection, FieldSpec field, Object value) {
        String where = collection + "." + field.name();
        Object normalized = normalize(where, value);
        if (normalized == null) {
            return null;
        }
        if (field.type() == FieldType.DOUBLE && normalized instanceof Long l) {
            return l.doubleValue();
        }
        if (!field.type().accepts(normalized)) {
            throw new InvalidQueryException(where + " expects " + field.type().label() + ", got "
                    + describe(normalized));
        }
        return normalized;
    }

    /** A short type description for error messages; never the value itself, which may be a secret. */
    public static String describe(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> "string";
            case Long l -> "long";
            case Double d -> "double";
            case Boolean b -> "boolean";
            case Instant t -> "instant";
            case Map<?, ?> m -> "map";
            case List<?> l -> "list";
            default -> value.getClass().getSimpleName();
        };
    }

    /**
     * Whether a string is well-formed UTF-16: no surrogate without its partner. A lone surrogate (a JSON
     * {@code "\ud800"} escape decodes to one) has no UTF-8 form, so a backend would store {@code ?} in its
     * place and two different strings could become one.
     */
    public static boolean isWellFormed(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return false;
                }
            }
        }
        return true;
    }

    private static String text(String where, String s) {
        if (!isWellFormed(s)) {
            throw new InvalidQueryException(where + ": text holds an unpaired UTF-16 surrogate (not valid Unicode)");
        }
        return s;
    }

    /** The earliest and latest instants stored: four-digit years keep their text form sortable. */
    public static final Instant MIN_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999Z");

    private static Instant instant(String where, Instant t) {
        Instant millis = t.truncatedTo(ChronoUnit.MILLIS);
        if (millis.isBefore(MIN_INSTANT) || millis.isAfter(MAX_INSTANT)) {
            throw new InvalidQueryException(where + ": instants must lie between years 1 and 9999");
        }
        return millis;
    }

    private static Double finite(String where, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new InvalidQueryException(where + ": NaN and infinite numbers cannot be stored");
        }
        // -0.0 == 0.0 in every query; SQL columns drop the sign anyway, so no backend keeps it.
        return d == 0.0 ? 0.0 : d;
    }

    private static Map<String, Object> normalizeMap(String where, Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new InvalidQueryException(where + ": map keys must be strings");
            }
            if (key.startsWith("$") || key.indexOf('\0') >= 0) {
                throw new InvalidQueryException(where + ": nested key must not start with '$' or hold NUL");
            }
            text(where, key);
            copy.put(key, normalize(where + "." + key, e.getValue()));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static List<Object> normalizeList(String where, List<?> list) {
        List<Object> copy = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            copy.add(normalize(where + "[" + i + "]", list.get(i)));
        }
        return Collections.unmodifiableList(copy);
    }
}
