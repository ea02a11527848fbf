package dev.orbit.db;

import java.util.List;

/**
 * A change to documents, with MongoDB's semantics on every backend. Built with {@link Updates}.
 * Setting a field to null is the same as unsetting it (null and missing are the same everywhere).
 */
public sealed interface Update {
    /** {@code field = value}. */
    record Set(String field, Object value) implements Update {
    }

    /** {@code field = value}, only when an upsert inserts a new document. */
    record SetOnInsert(String field, Object value) implements Update {
    }

    /** Removes {@code field}. */
    record Unset(String field) implements Update {
    }

    /** Adds {@code amount} to a numeric field; a missing field counts as 0. */
    record Inc(String field, Number amount) implements Update {
    }

    /** Appends {@code value} to a list field; a missing field counts as the empty list. */
    record Push(String field, Object value) implements Update {
    }

    /** Several updates applied together; no two may touch the same field. */
    record Combined(List<Update> updates) implements Update {
    }
}
