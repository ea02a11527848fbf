package dev.orbit.db;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An index over one or more fields. A unique index ignores documents in which any of its fields is
 * missing or null (SQL semantics, reproduced on MongoDB with a partial index). A TTL index (one
 * {@link FieldType#INSTANT} field) lets the backend delete documents once {@code field + ttl} has passed;
 * deletion is lazy (within about a minute), so readers must still check expiry themselves.
 *
 * <p>Two refinements keep a write from dirtying more index pages than it must (every index entry a write adds
 * or moves is a page the database writes again):
 * <ul>
 * <li>{@code group}: a unique field whose value belongs to one group (a SHA-256 of the group's id and more) is
 *     keyed on SQL backends by (group, field), so that entries of one group share a leaf instead of landing each
 *     on a random one; the pair is unique exactly when the field is, as the field determines the group. MongoDB
 *     keys it by the field alone (a compound unique index there needs a partial filter, which the in-process
 *     server of the tests ignores).</li>
 * <li>{@code present}: the index holds only documents in which these fields have a value (a partial index), so
 *     that the many documents without one cost no entry; a query uses it when its filter gives each of them a
 *     value (an equality on the field).</li>
 * </ul>
 */
public record IndexSpec(String name, List<Sort.Key> keys, boolean unique, Duration ttl, String group,
                        List<String> present) {
    public IndexSpec {
        Names.requireIdentifier("index", name);
        keys = List.copyOf(keys);
        present = List.copyOf(present);
        if (keys.isEmpty()) {
            throw new InvalidQueryException("index " + name + " has no fields");
        }
        if (ttl != null && (keys.size() != 1 || ttl.isNegative())) {
            throw new InvalidQueryException("TTL index " + name + " needs exactly one field and a ttl >= 0");
        }
        if (group != null && (!unique || keys.size() != 1)) {
            throw new InvalidQueryException("index " + name + ": only a unique index on one field is grouped");
        }
        for (String field : present) {
            if (keys.stream().noneMatch(k -> k.field().equals(field))) {
                throw new InvalidQueryException("index " + name + ": " + Names.quote(field) + " is not one of its fields");
            }
        }
    }

    public static IndexSpec on(String name, String... fields) {
        return new IndexSpec(name, ascendingKeys(fields), false, null, null, List.of());
    }

    public static IndexSpec on(String name, Sort sort) {
        return new IndexSpec(name, sort.keys(), false, null, null, List.of());
    }

    public static IndexSpec unique(String name, String... fields) {
        return new IndexSpec(name, ascendingKeys(fields), true, null, null, List.of());
    }

    /**
     * Unique on {@code field}, whose every value belongs to one value of {@code group}: SQL backends key it by
     * (group, field), so that one group's entries sit together (see the class comment).
     */
    public static IndexSpec uniqueWithin(String name, String group, String field) {
        return new IndexSpec(name, ascendingKeys(field), true, null, Objects.requireNonNull(group), List.of());
    }

    /** Documents expire {@code ttl} after the instant in {@code field} (zero: at that instant). */
    public static IndexSpec ttl(String name, String field, Duration ttl) {
        return new IndexSpec(name, ascendingKeys(field), false, Objects.requireNonNull(ttl), null, List.of());
    }

    /** This index holding only the documents in which each of {@code fields} (of its own) has a value. */
    public IndexSpec whenPresent(String... fields) {
        return new IndexSpec(name, keys, unique, ttl, group, List.of(fields));
    }

    public boolean isTtl() {
        return ttl != null;
    }

    public List<String> fields() {
        return keys.stream().map(Sort.Key::field).toList();
    }

    /** The keys as SQL backends store them: the group's field first, when there is one. */
    public List<Sort.Key> sqlKeys() {
        if (group == null) {
            return keys;
        }
        List<Sort.Key> out = new java.util.ArrayList<>(keys.size() + 1);
        out.add(new Sort.Key(group, true));
        out.addAll(keys);
        return List.copyOf(out);
    }

    private static List<Sort.Key> ascendingKeys(String... fields) {
        return java.util.Arrays.stream(fields).map(f -> new Sort.Key(f, true)).toList();
    }
}
