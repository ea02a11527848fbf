package dev.orbit.db;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An index over one or more fields. A unique index ignores documents in which any of its fields is
 * missing or null (SQL semantics, reproduced on MongoDB with a partial index). A TTL index (one
 * {@link FieldType#INSTANT} field) lets the backend delete documents once {@code field + ttl} has passed;
 * deletion is lazy (within about a minute), so readers must still check expiry themselves.
 */
public record IndexSpec(String name, List<Sort.Key> keys, boolean unique, Duration ttl) {
    public IndexSpec {
        Names.requireIdentifier("index", name);
        keys = List.copyOf(keys);
        if (keys.isEmpty()) {
            throw new InvalidQueryException("index " + name + " has no fields");
        }
        if (ttl != null && (keys.size() != 1 || ttl.isNegative())) {
            throw new InvalidQueryException("TTL index " + name + " needs exactly one field and a ttl >= 0");
        }
    }

    public static IndexSpec on(String name, String... fields) {
        return new IndexSpec(name, ascendingKeys(fields), false, null);
    }

    public static IndexSpec on(String name, Sort sort) {
        return new IndexSpec(name, sort.keys(), false, null);
    }

    public static IndexSpec unique(String name, String... fields) {
        return new IndexSpec(name, ascendingKeys(fields), true, null);
    }

    /** Documents expire {@code ttl} after the instant in {@code field} (zero: at that instant). */
    public static IndexSpec ttl(String name, String field, Duration ttl) {
        return new IndexSpec(name, ascendingKeys(field), false, Objects.requireNonNull(ttl));
    }

    public boolean isTtl() {
        return ttl != null;
    }

    public List<String> fields() {
        return keys.stream().map(Sort.Key::field).toList();
    }

    private static List<Sort.Key> ascendingKeys(String... fields) {
        return java.util.Arrays.stream(fields).map(f -> new Sort.Key(f, true)).toList();
    }
}
