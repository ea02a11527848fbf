package dev.orbit.db;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A declared collection (a table on SQL backends): its fields with their types, and its indexes. Every
 * collection has the string id field {@code _id}. Documents, filters, updates and sorts are checked
 * against it before any backend sees them.
 *
 * <p>{@code retiredIndexes} names indexes that earlier versions created and no query needs any more: every
 * write paid for them. Each backend drops them by name (SQL backends in a migration, MongoDB at start-up); an
 * index of another name on the same fields (the reference ORBIT's own) is left alone. An index declared only for the
 * other kind of backend ({@link IndexSpec.Backends}) is dropped the same way.
 */
public record CollectionSpec(String name, Map<String, FieldSpec> fields, List<IndexSpec> indexes,
                             List<String> retiredIndexes) {
    public CollectionSpec {
        Names.requireIdentifier("collection", name);
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        indexes = List.copyOf(indexes);
        retiredIndexes = List.copyOf(retiredIndexes);
        if (!fields.containsKey(FieldSpec.ID)) {
            throw new IllegalArgumentException(name + " has no " + FieldSpec.ID + " field");
        }
        Set<String> indexNames = new HashSet<>();
        for (IndexSpec index : indexes) {
            checkIndex(name, fields, index);
            if (!indexNames.add(index.name())) {
                // Even for two backends: each would drop the other's as declared for the other kind only.
                throw new IllegalArgumentException(name + ": index " + index.name() + " declared twice");
            }
            if (retiredIndexes.contains(index.name())) {
                throw new IllegalArgumentException(name + ": index " + index.name() + " is both declared and retired");
            }
        }
        retiredIndexes.forEach(retired -> Names.requireIdentifier("index", retired));
    }

    /** The indexes a backend of {@code kind} (SQL or MONGODB) makes. */
    public List<IndexSpec> indexesOn(IndexSpec.Backends kind) {
        return indexes.stream().filter(index -> index.backends().include(kind)).toList();
    }

    /** The indexes a backend of {@code kind} drops where they exist: the retired ones, and the other kind's only. */
    public List<String> droppedIndexesOn(IndexSpec.Backends kind) {
        List<String> dropped = new ArrayList<>(retiredIndexes);
        indexes.stream().filter(index -> !index.backends().include(kind)).forEach(index -> dropped.add(index.name()));
        return List.copyOf(dropped);
    }

    /**
     * Refuses an index naming an unknown field, or a TTL index on a field that is not an instant (expiry
     * compares the field with a time; on anything else it would delete the wrong documents).
     */
    public void checkIndex(IndexSpec index) {
        checkIndex(name, fields, index);
    }

    private static void checkIndex(String collection, Map<String, FieldSpec> fields, IndexSpec index) {
        List<String> named = new ArrayList<>(index.fields());
        if (index.exceptEqual() != null) {
            named.add(index.exceptEqual().other());
        }
        for (String field : named) {
            FieldSpec spec = fields.get(field);
            if (spec == null) {
                throw new InvalidQueryException(collection + ": index " + index.name() + " names unknown field "
                        + Names.quote(field));
            }
            if (index.isTtl() && spec.type() != FieldType.INSTANT) {
                throw new InvalidQueryException(collection + ": TTL index " + index.name() + " needs an instant field, "
                        + field + " is " + spec.type().label());
            }
        }
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The declared field, or an {@link InvalidQueryException} naming the collection. */
    public FieldSpec field(String fieldName) {
        FieldSpec field = fieldName == null ? null : fields.get(fieldName);
        if (field == null) {
            throw new InvalidQueryException("unknown field " + Names.quote(fieldName) + " in collection " + name);
        }
        return field;
    }

    /** Builds a {@link CollectionSpec}; {@code _id} (column {@code id}) is added first. */
    public static final class Builder {
        private final String name;
        private final Map<String, FieldSpec> fields = new LinkedHashMap<>();
        private final List<IndexSpec> indexes = new ArrayList<>();
        private final List<String> retiredIndexes = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
            fields.put(FieldSpec.ID, new FieldSpec(FieldSpec.ID, FieldType.STRING, "id", true));
        }

        public Builder required(String field, FieldType type) {
            return add(new FieldSpec(field, type, field, true));
        }

        public Builder optional(String field, FieldType type) {
            return add(new FieldSpec(field, type, field, false));
        }

        /** An optional field stored in an SQL column of another name. */
        public Builder optional(String field, FieldType type, String column) {
            return add(new FieldSpec(field, type, column, false));
        }

        public Builder index(IndexSpec index) {
            indexes.add(index);
            return this;
        }

        /** Indexes of these names, made by earlier versions, are dropped (see {@link CollectionSpec}). */
        public Builder retiredIndexes(String... names) {
            retiredIndexes.addAll(List.of(names));
            return this;
        }

        public CollectionSpec build() {
            return new CollectionSpec(name, fields, indexes, retiredIndexes);
        }

        private Builder add(FieldSpec field) {
            if (fields.putIfAbsent(field.name(), field) != null) {
                throw new IllegalArgumentException(name + ": field " + field.name() + " declared twice");
            }
            return this;
        }
    }
}
