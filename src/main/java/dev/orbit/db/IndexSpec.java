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
 * <p>Every index entry a write adds or moves is a page the database writes again, so three refinements keep a write
 * from dirtying more index pages than it must:
 * <ul>
 * <li>{@code present}: the index holds only documents in which these fields have a value (a partial index), so
 *     that the many documents without one cost no entry; a query uses it when its filter gives each of them a
 *     value (an equality on the field).</li>
 * <li>{@code exceptEqual}: the index holds no entry for a document whose field has the same value as another of
 *     its fields, on SQL backends (a partial index). A unique index so refined is unique among the documents it
 *     holds; it serves where those equal values are unique anyway, by a rule of the code that writes them (which
 *     the schema states where it uses this; no index of the database enforces it). MongoDB's partial filters cannot
 *     compare two fields, so there it holds every document: stricter, and the same for documents that keep that
 *     rule. A query uses it on SQL when its filter states the condition ({@link Filters#differs}).</li>
 * <li>{@code backends}: an index made only on SQL backends, or only on MongoDB, where the two need different
 *     indexes for one rule (see {@link Backends}). A backend drops an index that is declared only for the other
 *     kind, as it drops a retired one.</li>
 * </ul>
 */
public record IndexSpec(String name, List<Sort.Key> keys, boolean unique, Duration ttl, List<String> present,
                        EqualFields exceptEqual, Backends backends) {
    public IndexSpec {
        Names.requireIdentifier("index", name);
        keys = List.copyOf(keys);
        present = List.copyOf(present);
        Objects.requireNonNull(backends, "backends");
        if (keys.isEmpty()) {
            throw new InvalidQueryException("index " + name + " has no fields");
        }
        if (ttl != null && (keys.size() != 1 || ttl.isNegative())) {
            throw new InvalidQueryException("TTL index " + name + " needs exactly one field and a ttl >= 0");
        }
        for (String field : present) {
            requireKey(name, keys, field);
        }
        if (exceptEqual != null) {
            requireKey(name, keys, exceptEqual.field());
            if (ttl != null) {
                throw new InvalidQueryException("TTL index " + name + " holds every document that has its field");
            }
            if (exceptEqual.field().equals(exceptEqual.other())) {
                throw new InvalidQueryException("index " + name + ": a field is always equal to itself");
            }
        }
    }

    /** Where an index is made: every backend, SQL backends (SQLite, PostgreSQL) only, or MongoDB only. */
    public enum Backends {
        ALL, SQL, MONGODB;

        /** Whether an index declared for these backends is made on a backend of {@code kind} (SQL or MONGODB). */
        public boolean include(Backends kind) {
            return this == ALL || this == kind;
        }
    }

    /** Two fields of a document; see {@code exceptEqual} in {@link IndexSpec}. */
    public record EqualFields(String field, String other) {
        public EqualFields {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(other, "other");
        }
    }

    public static IndexSpec on(String name, String... fields) {
        return new IndexSpec(name, ascendingKeys(fields), false, null, List.of(), null, Backends.ALL);
    }

    public static IndexSpec on(String name, Sort sort) {
        return new IndexSpec(name, sort.keys(), false, null, List.of(), null, Backends.ALL);
    }

    public static IndexSpec unique(String name, String... fields) {
        return new IndexSpec(name, ascendingKeys(fields), true, null, List.of(), null, Backends.ALL);
    }

    /** Documents expire {@code ttl} after the instant in {@code field} (zero: at that instant). */
    public static IndexSpec ttl(String name, String field, Duration ttl) {
        return new IndexSpec(name, ascendingKeys(field), false, Objects.requireNonNull(ttl), List.of(), null,
                Backends.ALL);
    }

    /** This index holding only the documents in which each of {@code fields} (of its own) has a value. */
    public IndexSpec whenPresent(String... fields) {
        return new IndexSpec(name, keys, unique, ttl, List.of(fields), exceptEqual, backends);
    }

    /**
     * This index holding no entry, on SQL backends, for a document whose {@code field} (of its own) equals its
     * {@code other}; see the class comment.
     */
    public IndexSpec exceptWhereEqual(String field, String other) {
        return new IndexSpec(name, keys, unique, ttl, present, new EqualFields(field, other), backends);
    }

    /** This index made on SQL backends only. */
    public IndexSpec sqlOnly() {
        return new IndexSpec(name, keys, unique, ttl, present, exceptEqual, Backends.SQL);
    }

    /** This index made on MongoDB only. */
    public IndexSpec mongoDbOnly() {
        return new IndexSpec(name, keys, unique, ttl, present, exceptEqual, Backends.MONGODB);
    }

    public boolean isTtl() {
        return ttl != null;
    }

    public List<String> fields() {
        return keys.stream().map(Sort.Key::field).toList();
    }

    private static void requireKey(String name, List<Sort.Key> keys, String field) {
        if (keys.stream().noneMatch(k -> k.field().equals(field))) {
            throw new InvalidQueryException("index " + name + ": " + Names.quote(field) + " is not one of its fields");
        }
    }

    private static List<Sort.Key> ascendingKeys(String... fields) {
        return java.util.Arrays.stream(fields).map(f -> new Sort.Key(f, true)).toList();
    }
}
