package dev.orbit.db;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which fields a find returns, with MongoDB's semantics: an inclusion projection ({@code true} per field) returns
 * those fields and {@code _id} unless {@code _id} is {@code false}; an exclusion projection ({@code false} per
 * field) returns every other field. {@code _id} is the only field that may be excluded from an inclusion
 * projection; any other mix of inclusion and exclusion, and an unknown field, is an {@link InvalidQueryException}
 * (checked by {@link Validator#projection}). Empty means every field. Fields a document lacks stay missing.
 *
 * @param fields field name to included ({@code true}) or excluded ({@code false}), in the caller's order
 */
public record Projection(Map<String, Boolean> fields) {
    /** Every field. */
    public static final Projection ALL = new Projection(Map.of());
    private static final ProjectionCache<List<FieldSpec>> KEPT_FIELDS = new ProjectionCache<>();

    public Projection {
        Objects.requireNonNull(fields, "fields");
        Map<String, Boolean> copy = new LinkedHashMap<>();
        fields.forEach((name, included) -> copy.put(Objects.requireNonNull(name, "field name"),
                Objects.requireNonNull(included, "inclusion of " + name)));
        fields = Collections.unmodifiableMap(copy);
    }

    /** Only these fields, and {@code _id}. */
    public static Projection include(String... fields) {
        return of(fields, true);
    }

    /** Every field but these. */
    public static Projection exclude(String... fields) {
        return of(fields, false);
    }

    /** This projection without {@code _id} ({@code {_id: 0, ...}}). */
    public Projection withoutId() {
        Map<String, Boolean> out = new LinkedHashMap<>(fields);
        out.put(FieldSpec.ID, false);
        return new Projection(out);
    }

    public boolean isAll() {
        return fields.isEmpty();
    }

    /**
     * The validated form: the fields a document keeps, in the collection's declared order, as an inclusion
     * projection ({@code _id} false when it is left out); {@link #ALL} when every field is kept.
     */
    static Projection resolved(CollectionSpec spec, List<String> kept) {
        if (kept.size() == spec.fields().size()) {
            return ALL;
        }
        Map<String, Boolean> out = new LinkedHashMap<>();
        kept.forEach(name -> out.put(name, true));
        if (!kept.contains(FieldSpec.ID)) {
            out.put(FieldSpec.ID, false);
        }
        return new Projection(out);
    }

    /**
     * The fields a validated projection keeps, in the collection's declared order (every field for
     * {@link #ALL}); for a backend reading columns.
     */
    public List<FieldSpec> keptFields(CollectionSpec spec) {
        return KEPT_FIELDS.get(spec, this, () -> listKeptFields(spec));
    }

    private List<FieldSpec> listKeptFields(CollectionSpec spec) {
        List<FieldSpec> out = new ArrayList<>(spec.fields().size());
        for (FieldSpec field : spec.fields().values()) {
            if (isAll() || Boolean.TRUE.equals(fields.get(field.name()))) {
                out.add(field);
            }
        }
        return List.copyOf(out);
    }

    private static Projection of(String[] fields, boolean included) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (String field : fields) {
            out.put(field, included);
        }
        return new Projection(out);
    }
}
