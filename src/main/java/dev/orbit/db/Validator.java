package dev.orbit.db;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks documents, filters, sorts and updates against a {@link CollectionSpec} and returns them in
 * canonical form. Every backend calls it before translating, so "what is allowed" and "what a value
 * becomes" are decided once, here, and identically for all backends.
 */
public final class Validator {
    private static final ProjectionCache<Projection> RESOLVED_PROJECTIONS = new ProjectionCache<>();

    private Validator() {
    }

    /** A document with only declared fields, canonical values and every required field present. */
    public static Document document(CollectionSpec spec, Document document) {
        if (document == null) {
            throw new InvalidQueryException(spec.name() + ": document is null");
        }
        Document out = new Document();
        for (Map.Entry<String, Object> e : document.asMap().entrySet()) {
            FieldSpec field = spec.field(e.getKey());
            out.put(field.name(), Values.forField(spec.name(), field, e.getValue()));
        }
        for (FieldSpec field : spec.fields().values()) {
            if (field.required() && !field.isId() && !out.has(field.name())) {
                throw new InvalidQueryException(spec.name() + "." + field.name() + " is required");
            }
        }
        return out;
    }

    /** The filter with every field checked and every value in canonical form. */
    public static Filter filter(CollectionSpec spec, Filter filter) {
        if (filter == null) {
            throw new InvalidQueryException(spec.name() + ": filter is null (use Filters.all())");
        }
        return switch (filter) {
            case Filter.Compare c -> compare(spec, c);
            case Filter.In in -> in(spec, in);
            case Filter.Exists ex -> new Filter.Exists(spec.field(ex.field()).name(), ex.exists());
            case Filter.Differs d -> differs(spec, d);
            case Filter.ContainsIgnoreCase c -> {
                FieldSpec field = spec.field(c.field());
                requireType(spec, field, FieldType.STRING, "contains");
                yield c;
            }
            case Filter.And and -> new Filter.And(and.filters().stream().map(f -> filter(spec, f)).toList());
            case Filter.Or or -> new Filter.Or(or.filters().stream().map(f -> filter(spec, f)).toList());
            case Filter.Not not -> new Filter.Not(filter(spec, not.filter()));
        };
    }

    /** The sort with every field checked to exist and to be orderable. */
    public static Sort sort(CollectionSpec spec, Sort sort) {
        for (Sort.Key key : sort.keys()) {
            FieldSpec field = spec.field(key.field());
            if (!field.type().isOrdered()) {
                throw new InvalidQueryException("cannot sort " + spec.name() + " by " + field.name() + " ("
                        + field.type().label() + ")");
            }
        }
        return sort;
    }

    /**
     * The projection in canonical form (see {@link Projection#resolved}): MongoDB's rules, an unknown field or a
     * mix of inclusion and exclusion (other than leaving out {@code _id}) refused.
     */
    public static Projection projection(CollectionSpec spec, Projection projection) {
        if (projection == null || projection.isAll()) {
            return Projection.ALL;
        }
        return RESOLVED_PROJECTIONS.get(spec, projection, () -> resolve(spec, projection));
    }

    private static Projection resolve(CollectionSpec spec, Projection projection) {
        Boolean including = null;
        for (Map.Entry<String, Boolean> e : projection.fields().entrySet()) {
            FieldSpec field = spec.field(e.getKey());
            if (field.isId()) {
                continue;
            }
            if (including == null) {
                including = e.getValue();
            } else if (!including.equals(e.getValue())) {
                throw new InvalidQueryException(spec.name() + ": a projection cannot mix included and excluded fields"
                        + " (only _id may be left out of an inclusion)");
            }
        }
        Boolean id = projection.fields().get(FieldSpec.ID);
        List<String> kept = new ArrayList<>();
        for (FieldSpec field : spec.fields().values()) {
            boolean keep;
            if (field.isId()) {
                keep = id == null || id;
            } else if (including == null) {
                keep = !id; // {_id: 1} alone keeps only the id, {_id: 0} alone everything else
            } else {
                keep = including == projection.fields().containsKey(field.name());
            }
            if (keep) {
                kept.add(field.name());
            }
        }
        return Projection.resolved(spec, kept);
    }

    /**
     * The update as a flat list of single-field operations with canonical values; {@code set(f, null)}
     * becomes {@code unset(f)}. Refuses touching the id, a field twice, or a type mismatch.
     */
    public static List<Update> update(CollectionSpec spec, Update update) {
        List<Update> flat = new ArrayList<>();
        flatten(update, flat);
        if (flat.isEmpty()) {
            throw new InvalidQueryException(spec.name() + ": update has no operations");
        }
        Set<String> touched = new HashSet<>();
        List<Update> out = new ArrayList<>(flat.size());
        for (Update op : flat) {
            Update checked = updateOperation(spec, op);
            String field = fieldOf(checked);
            if (!touched.add(field)) {
                throw new InvalidQueryException(spec.name() + ": update touches " + field + " more than once");
            }
            out.add(checked);
        }
        return List.copyOf(out);
    }

    /**
     * The document an upsert inserts when nothing matched: the equality conditions of the filter (at
     * top level or inside {@code and}), then the update applied to them; checked like any insert.
     */
    public static Document upsertDocument(CollectionSpec spec, Filter filter, List<Update> update) {
        Document doc = new Document();
        collectEqualities(spec, filter, doc);
        for (Update op : update) {
            switch (op) {
                case Update.Set s -> doc.put(s.field(), s.value());
                case Update.SetOnInsert s -> doc.put(s.field(), s.value());
                case Update.Unset u -> doc.put(u.field(), null);
                case Update.Inc inc -> doc.put(inc.field(), inc.amount());
                case Update.Push push -> doc.put(push.field(), List.of(push.value()));
                case Update.Combined c -> throw new IllegalStateException("update was not flattened");
            }
        }
        return document(spec, doc);
    }

    /**
     * Copies {@code field = value} conditions into the new document. An element condition on a list
     * field ({@code eq("roles", "admin")}) says what the list contains, not what it is, so it is skipped.
     */
    private static void collectEqualities(CollectionSpec spec, Filter filter, Document doc) {
        switch (filter) {
            case Filter.Compare c when c.op() == Filter.Op.EQ
                    && (spec.field(c.field()).type() != FieldType.LIST || c.value() instanceof List<?>) ->
                    doc.put(c.field(), c.value());
            case Filter.And and -> and.filters().forEach(f -> collectEqualities(spec, f, doc));
            default -> {
            }
        }
    }

    private static Filter compare(CollectionSpec spec, Filter.Compare c) {
        FieldSpec field = spec.field(c.field());
        boolean equality = c.op() == Filter.Op.EQ || c.op() == Filter.Op.NE;
        if (c.value() == null) {
            if (!equality) {
                throw new InvalidQueryException(spec.name() + "." + field.name() + ": " + c.op()
                        + " needs a value, not null");
            }
            return c;
        }
        if (!equality && !field.type().isOrdered()) {
            throw new InvalidQueryException(spec.name() + "." + field.name() + ": " + c.op()
                    + " is not supported on " + field.type().label() + " fields");
        }
        return new Filter.Compare(field.name(), c.op(), operand(spec, field, c.value()));
    }

    private static Filter in(CollectionSpec spec, Filter.In in) {
        FieldSpec field = spec.field(in.field());
        List<Object> values = new ArrayList<>(in.values().size());
        for (Object value : in.values()) {
            if (value instanceof List<?>) {
                throw new InvalidQueryException(spec.name() + "." + field.name() + ": in/nin values must be scalars");
            }
            values.add(value == null ? null : operand(spec, field, value));
        }
        return new Filter.In(field.name(), java.util.Collections.unmodifiableList(values), in.negated());
    }

    /**
     * A comparison value for a field: of the field's type, any number for a numeric field, a scalar
     * element or a whole list for a list field. Map fields cannot be filtered on (only tested with exists).
     */
    private static Object operand(CollectionSpec spec, FieldSpec field, Object raw) {
        String where = spec.name() + "." + field.name();
        Object value = Values.normalize(where, raw);
        if (field.type().isNumeric() && (value instanceof Long || value instanceof Double)) {
            return value;
        }
        if (field.type() == FieldType.LIST && !(value instanceof Map<?, ?>)) {
            return value;
        }
        if (field.type() == FieldType.MAP) {
            throw new InvalidQueryException(where + ": filters on map fields are not supported");
        }
        if (!field.type().accepts(value)) {
            throw new InvalidQueryException(where + " is " + field.type().label() + ", cannot compare with "
                    + Values.describe(value));
        }
        return value;
    }

    private static void flatten(Update update, List<Update> out) {
        if (update == null) {
            throw new InvalidQueryException("update is null");
        }
        if (update instanceof Update.Combined combined) {
            combined.updates().forEach(u -> flatten(u, out));
        } else {
            out.add(update);
        }
    }

    private static Update updateOperation(CollectionSpec spec, Update op) {
        FieldSpec field = spec.field(fieldOf(op));
        if (field.isId()) {
            throw new InvalidQueryException(spec.name() + ": the id of a document cannot be changed");
        }
        return switch (op) {
            case Update.Set s -> {
                Object value = Values.forField(spec.name(), field, s.value());
                yield value == null ? unset(spec, field) : new Update.Set(field.name(), value);
            }
            case Update.SetOnInsert s -> new Update.SetOnInsert(field.name(),
                    Values.forField(spec.name(), field, s.value()));
            case Update.Unset u -> unset(spec, field);
            case Update.Inc inc -> {
                if (!field.type().isNumeric()) {
                    throw new InvalidQueryException(spec.name() + "." + field.name() + ": inc needs a numeric field");
                }
                yield new Update.Inc(field.name(), (Number) Values.forField(spec.name(), field, inc.amount()));
            }
            case Update.Push push -> {
                requireType(spec, field, FieldType.LIST, "push");
                yield new Update.Push(field.name(), Values.normalize(spec.name() + "." + field.name(), push.value()));
            }
            case Update.Combined c -> throw new IllegalStateException("update was not flattened");
        };
    }

    private static Update unset(CollectionSpec spec, FieldSpec field) {
        if (field.required()) {
            throw new InvalidQueryException(spec.name() + "." + field.name() + " is required and cannot be removed");
        }
        return new Update.Unset(field.name());
    }

    private static String fieldOf(Update op) {
        return switch (op) {
            case Update.Set s -> s.field();
            case Update.SetOnInsert s -> s.field();
            case Update.Unset u -> u.field();
            case Update.Inc i -> i.field();
            case Update.Push p -> p.field();
            case Update.Combined c -> throw new IllegalStateException("update was not flattened");
        };
    }

    /**
     * Two fields of one type whose equality every backend decides alike: not lists or maps (stored as JSON text or
     * BSON), not doubles (NaN and -0.0 compare otherwise in SQL than in BSON), and not {@code _id} (MongoDB stores an
     * id of 24 hex digits as an ObjectId, which no string field equals).
     */
    private static Filter differs(CollectionSpec spec, Filter.Differs d) {
        FieldSpec field = spec.field(d.field());
        FieldSpec other = spec.field(d.other());
        for (FieldSpec f : List.of(field, other)) {
            if (f.isId()) {
                throw new InvalidQueryException(spec.name() + ": differs cannot compare " + f.name());
            }
            if (f.type() == FieldType.LIST || f.type() == FieldType.MAP || f.type() == FieldType.DOUBLE) {
                throw new InvalidQueryException(spec.name() + "." + f.name() + ": differs cannot compare a "
                        + f.type().label() + " field");
            }
        }
        requireType(spec, other, field.type(), "differs from " + field.name());
        return new Filter.Differs(field.name(), other.name());
    }

    private static void requireType(CollectionSpec spec, FieldSpec field, FieldType type, String operator) {
        if (field.type() != type) {
            throw new InvalidQueryException(spec.name() + "." + field.name() + ": " + operator + " needs a "
                    + type.label() + " field, not " + field.type().label());
        }
    }
}
