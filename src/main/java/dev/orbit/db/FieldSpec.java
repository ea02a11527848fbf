package dev.orbit.db;

/**
 * A declared field of a collection.
 *
 * @param name     the field name in documents and queries ({@code _id} for the id)
 * @param type     its value type
 * @param column   the SQL column holding it (the reference schema names some differently, e.g. the id
 *                 is {@code id} and {@code metadata} lives in {@code metadata_json})
 * @param required whether every document must have a non-null value (checked on every backend)
 */
public record FieldSpec(String name, FieldType type, String column, boolean required) {
    public FieldSpec {
        if (!ID.equals(name)) {
            Names.requireIdentifier("field", name);
        }
        Names.requireIdentifier("column", column);
    }

    /** The id field's name in documents, filters and sorts, on every backend. */
    public static final String ID = "_id";

    public boolean isId() {
        return ID.equals(name);
    }
}
