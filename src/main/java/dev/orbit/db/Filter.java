package dev.orbit.db;

import java.util.List;

/**
 * A query predicate with MongoDB's semantics on every backend. Built with {@link Filters}; each backend
 * translates it with an exhaustive switch, so a new operator does not compile until all of them handle it.
 *
 * <p>Null and missing are the same: {@code eq(f, null)} matches documents without {@code f}, {@code ne}
 * and {@code nin} match them, range operators never do. On a {@link FieldType#LIST} field, {@code eq},
 * {@code ne}, {@code in} and {@code nin} with non-null scalar values test the list's elements (of the
 * same type: {@code true} never equals {@code 1}); a null value always tests the field itself.
 */
public sealed interface Filter {
    /** Comparison operators that take one field and one value. */
    enum Op { EQ, NE, GT, GTE, LT, LTE }

    /** {@code field <op> value}. */
    record Compare(String field, Op op, Object value) implements Filter {
    }

    /** {@code field} is (or, negated, is not) one of the values. */
    record In(String field, List<Object> values, boolean negated) implements Filter {
    }

    /** {@code field} is present and not null (or, with {@code exists=false}, missing or null). */
    record Exists(String field, boolean exists) implements Filter {
    }

    /**
     * {@code field} and {@code other}, two fields of one type, do not hold the same value; missing and null are the
     * same (two missing fields hold the same). SQL backends use a partial index whose condition is this filter.
     */
    record Differs(String field, String other) implements Filter {
    }

    /** The string {@code field} contains {@code text} literally, ignoring case; no pattern syntax. */
    record ContainsIgnoreCase(String field, String text) implements Filter {
    }

    /** All of the filters (an empty list matches everything). */
    record And(List<Filter> filters) implements Filter {
    }

    /** Any of the filters (an empty list matches nothing). */
    record Or(List<Filter> filters) implements Filter {
    }

    /** Every document the filter does not match. */
    record Not(Filter filter) implements Filter {
    }
}
