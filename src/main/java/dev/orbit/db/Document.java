package dev.orbit.db;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A stored record: field names to values of the types in {@link FieldType}. A null value is the same as
 * a missing field, so {@code put(k, null)} removes {@code k} and documents read back never hold nulls
 * at the top level.
 */
public final class Document {
    private final Map<String, Object> fields;

    public Document() {
        this.fields = new LinkedHashMap<>();
    }

    /** An empty document with room for {@code expectedFields} fields (backends building rows). */
    public Document(int expectedFields) {
        this.fields = LinkedHashMap.newLinkedHashMap(expectedFields);
    }

    public Document(Map<String, ?> fields) {
        this();
        fields.forEach(this::put);
    }

    /** A document from alternating names and values: {@code Document.of("a", 1, "b", "x")}. */
    public static Document of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Document.of needs name/value pairs");
        }
        Document doc = new Document();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            doc.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return doc;
    }

    /** Sets a field (a null value removes it) and returns this document. */
    public Document put(String name, Object value) {
        Objects.requireNonNull(name, "name");
        if (value == null) {
            fields.remove(name);
        } else {
            fields.put(name, value);
        }
        return this;
    }

    public Object get(String name) {
        return fields.get(name);
    }

    public boolean has(String name) {
        return fields.containsKey(name);
    }

    /** The id as a string, or null before the document was stored. */
    public String id() {
        return getString(FieldSpec.ID);
    }

    public String getString(String name) {
        return get(name, String.class);
    }

    public Long getLong(String name) {
        return get(name, Long.class);
    }

    public long getLong(String name, long fallback) {
        Long value = getLong(name);
        return value == null ? fallback : value;
    }

    public Double getDouble(String name) {
        return get(name, Double.class);
    }

    public Boolean getBoolean(String name) {
        return get(name, Boolean.class);
    }

    public boolean getBoolean(String name, boolean fallback) {
        Boolean value = getBoolean(name);
        return value == null ? fallback : value;
    }

    public Instant getInstant(String name) {
        return get(name, Instant.class);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> getMap(String name) {
        return get(name, Map.class);
    }

    @SuppressWarnings("unchecked")
    public List<Object> getList(String name) {
        return get(name, List.class);
    }

    /** The list's elements as strings (for lists such as roles or allowed e-mails). */
    public List<String> getStringList(String name) {
        List<Object> list = getList(name);
        return list == null ? List.of() : list.stream().map(String::valueOf).toList();
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(fields.keySet());
    }

    /** A read-only view of the fields. */
    public Map<String, Object> asMap() {
        return Collections.unmodifiableMap(fields);
    }

    /** A copy that can be changed without changing this one. */
    public Document copy() {
        return new Document(fields);
    }

    private <T> T get(String name, Class<T> type) {
        Object value = fields.get(name);
        if (value == null || type.isInstance(value)) {
            return type.cast(value);
        }
        throw new ClassCastException("field " + name + " holds " + Values.describe(value) + ", not "
                + type.getSimpleName());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Document doc && fields.equals(doc.fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    /** Field names only: values may be secrets and must not reach logs by accident. */
    @Override
    public String toString() {
        return "Document" + fields.keySet();
    }
}
