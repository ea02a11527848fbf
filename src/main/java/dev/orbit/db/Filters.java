package dev.orbit.db;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** Static factories for {@link Filter}, meant for static import: {@code and(eq("a", 1), gt("b", t))}. */
public final class Filters {
    private static final Filter ALL = new Filter.And(List.of());

    private Filters() {
    }

    /** Matches every document. */
    public static Filter all() {
        return ALL;
    }

    public static Filter eq(String field, Object value) {
        return compare(field, Filter.Op.EQ, value);
    }

    public static Filter ne(String field, Object value) {
        return compare(field, Filter.Op.NE, value);
    }

    public static Filter gt(String field, Object value) {
        return compare(field, Filter.Op.GT, value);
    }

    public static Filter gte(String field, Object value) {
        return compare(field, Filter.Op.GTE, value);
    }

    public static Filter lt(String field, Object value) {
        return compare(field, Filter.Op.LT, value);
    }

    public static Filter lte(String field, Object value) {
        return compare(field, Filter.Op.LTE, value);
    }

    public static Filter in(String field, Collection<?> values) {
        return new Filter.In(field, copy(values), false);
    }

    public static Filter in(String field, Object... values) {
        return in(field, Arrays.asList(values));
    }

    public static Filter nin(String field, Collection<?> values) {
        return new Filter.In(field, copy(values), true);
    }

    public static Filter nin(String field, Object... values) {
        return nin(field, Arrays.asList(values));
    }

    /** The two fields do not hold the same value (see {@link Filter.Differs}). */
    public static Filter differs(String field, String other) {
        return new Filter.Differs(field, other);
    }

    public static Filter exists(String field) {
        return new Filter.Exists(field, true);
    }

    public static Filter exists(String field, boolean exists) {
        return new Filter.Exists(field, exists);
    }

    /** Literal, case-insensitive substring match: {@code -}, {@code %}, {@code _}, {@code .} mean themselves. */
    public static Filter containsIgnoreCase(String field, String text) {
        return new Filter.ContainsIgnoreCase(field, Objects.requireNonNull(text, "text"));
    }

    public static Filter and(Filter... filters) {
        return new Filter.And(List.of(filters));
    }

    public static Filter and(List<Filter> filters) {
        return new Filter.And(List.copyOf(filters));
    }

    public static Filter or(Filter... filters) {
        return new Filter.Or(List.of(filters));
    }

    public static Filter or(List<Filter> filters) {
        return new Filter.Or(List.copyOf(filters));
    }

    public static Filter not(Filter filter) {
        return new Filter.Not(Objects.requireNonNull(filter, "filter"));
    }

    private static Filter compare(String field, Filter.Op op, Object value) {
        return new Filter.Compare(field, op, value);
    }

    private static List<Object> copy(Collection<?> values) {
        // Nulls are allowed in an in-list (they match missing fields), so List.copyOf will not do.
        return Collections.unmodifiableList(new ArrayList<>(Objects.requireNonNull(values, "values")));
    }
}
