package dev.orbit.db;

import java.util.ArrayList;
import java.util.List;

/**
 * A sort order on one or more fields, applied left to right. Missing and null values sort before every
 * other value in ascending order and after them in descending order (MongoDB's rule), on every backend.
 */
public record Sort(List<Key> keys) {
    /** No ordering: the backend returns documents in an unspecified order. */
    public static final Sort NONE = new Sort(List.of());

    public Sort {
        keys = List.copyOf(keys);
    }

    public static Sort ascending(String... fields) {
        return of(true, fields);
    }

    public static Sort descending(String... fields) {
        return of(false, fields);
    }

    /** This order, then {@code next} for documents that tie. */
    public Sort then(Sort next) {
        List<Key> all = new ArrayList<>(keys);
        all.addAll(next.keys);
        return new Sort(all);
    }

    public boolean isNone() {
        return keys.isEmpty();
    }

    private static Sort of(boolean ascending, String... fields) {
        return new Sort(java.util.Arrays.stream(fields).map(f -> new Key(f, ascending)).toList());
    }

    /** One field of a sort or index, and its direction. */
    public record Key(String field, boolean ascending) {
        public Key {
            java.util.Objects.requireNonNull(field, "field");
        }
    }
}
