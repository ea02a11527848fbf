package dev.orbit.db.sqlite;

import dev.orbit.db.CaseFolding;
import dev.orbit.db.CollectionSpec;
import dev.orbit.db.FieldSpec;
import dev.orbit.db.FieldType;
import dev.orbit.db.Filter;
import dev.orbit.db.Sort;
import dev.orbit.db.Update;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates validated filters, sorts and updates into SQLite SQL with MongoDB's semantics.
 *
 * <p>SQL's three-valued logic differs from MongoDB only under negation: a comparison with a NULL column
 * yields NULL, which AND, OR and WHERE already treat as "no match". So leaves stay plain (and can use
 * indexes) and only {@code NOT} maps NULL to false first.
 */
final class SqlTranslator {
    /** Registered on every connection: {@link CaseFolding}, as SQLite's own lower() folds ASCII only. */
    static final String FOLD_FUNCTION = "orbit_fold";
    /** Registered on every connection: long addition that fails on overflow (SQLite would turn it into a REAL). */
    static final String ADD_LONG_FUNCTION = "orbit_add_long";

    private SqlTranslator() {
    }

    static void where(CollectionSpec spec, Filter filter, SqlStatement out) {
        switch (filter) {
            case Filter.Compare c -> compare(spec.field(c.field()), c, out);
            case Filter.In in -> in(spec.field(in.field()), in, out);
            case Filter.Exists ex -> out.name(spec.field(ex.field()).column()).sql(ex.exists() ? " IS NOT NULL" : " IS NULL");
            case Filter.ContainsIgnoreCase c -> out.sql("instr(" + FOLD_FUNCTION + "(")
                    .name(spec.field(c.field()).column()).sql("), ").param(CaseFolding.fold(c.text())).sql(") > 0");
            case Filter.And and -> junction(spec, and.filters(), " AND ", "1", out);
            case Filter.Or or -> junction(spec, or.filters(), " OR ", "0", out);
            case Filter.Not not -> {
                out.sql("NOT IFNULL(");
                where(spec, not.filter(), out);
                out.sql(", 0)");
            }
        }
    }

    static void orderBy(CollectionSpec spec, Sort sort, SqlStatement out) {
        if (sort.isNone()) {
            return;
        }
        out.sql(" ORDER BY ");
        for (int i = 0; i < sort.keys().size(); i++) {
            Sort.Key key = sort.keys().get(i);
            // SQLite puts NULLs first ascending and last descending: MongoDB's order for missing fields.
            out.sql(i == 0 ? "" : ", ").name(spec.field(key.field()).column()).sql(key.ascending() ? " ASC" : " DESC");
        }
    }

    /**
     * The SET clause of a validated, flattened update; empty when only insert-time fields are set.
     * Returns whether anything was written.
     */
    static boolean set(CollectionSpec spec, List<Update> update, SqlStatement out) {
        List<Update> effective = new ArrayList<>(update.size());
        for (Update op : update) {
            if (!(op instanceof Update.SetOnInsert)) {
                effective.add(op);
            }
        }
        for (int i = 0; i < effective.size(); i++) {
            out.sql(i == 0 ? " SET " : ", ");
            setOne(spec, effective.get(i), out);
        }
        return !effective.isEmpty();
    }

    private static void setOne(CollectionSpec spec, Update op, SqlStatement out) {
        switch (op) {
            case Update.Set s -> out.name(column(spec, s.field())).sql(" = ").param(s.value());
            case Update.Unset u -> out.name(column(spec, u.field())).sql(" = NULL");
            case Update.Inc inc -> {
                String column = column(spec, inc.field());
                if (inc.amount() instanceof Long) {
                    out.name(column).sql(" = " + ADD_LONG_FUNCTION + "(").name(column).sql(", ").param(inc.amount()).sql(")");
                } else {
                    out.name(column).sql(" = COALESCE(").name(column).sql(", 0) + ").param(inc.amount());
                }
            }
            case Update.Push push -> {
                String column = column(spec, push.field());
                out.name(column).sql(" = json_insert(COALESCE(").name(column).sql(", '[]'), '$[#]', ")
                        .jsonParam(push.value()).sql(")");
            }
            case Update.SetOnInsert s -> throw new IllegalStateException("setOnInsert is not an update");
            case Update.Combined c -> throw new IllegalStateException("update was not flattened");
        }
    }

    private static void compare(FieldSpec field, Filter.Compare c, SqlStatement out) {
        String column = field.column();
        Object value = c.value();
        boolean listField = field.type() == FieldType.LIST;
        switch (c.op()) {
            case EQ -> {
                if (value == null) {
                    out.name(column).sql(" IS NULL");
                } else if (listField && value instanceof List<?>) {
                    out.sql("IFNULL(json(").name(column).sql(") = ").jsonParam(value).sql(", 0)");
                } else if (listField) {
                    anyElement(column, List.of(value), out);
                } else {
                    out.name(column).sql(" = ").param(value);
                }
            }
            case NE -> {
                if (value == null) {
                    out.name(column).sql(" IS NOT NULL");
                } else {
                    out.sql("NOT (");
                    compare(field, new Filter.Compare(c.field(), Filter.Op.EQ, value), out);
                    out.sql(" AND ").name(column).sql(" IS NOT NULL)");
                }
            }
            case GT -> out.name(column).sql(" > ").param(value);
            case GTE -> out.name(column).sql(" >= ").param(value);
            case LT -> out.name(column).sql(" < ").param(value);
            case LTE -> out.name(column).sql(" <= ").param(value);
        }
    }

    private static void in(FieldSpec field, Filter.In in, SqlStatement out) {
        if (in.negated()) {
            out.sql("NOT IFNULL(");
        }
        List<Object> present = in.values().stream().filter(v -> v != null).toList();
        boolean matchesMissing = present.size() < in.values().size();
        out.sql("(");
        if (present.isEmpty()) {
            out.sql("0");
        } else if (field.type() == FieldType.LIST) {
            anyElement(field.column(), present, out);
        } else {
            out.name(field.column()).sql(" IN (");
            valueList(present, out);
            out.sql(")");
        }
        if (matchesMissing) {
            out.sql(" OR ").name(field.column()).sql(" IS NULL");
        }
        out.sql(")");
        if (in.negated()) {
            out.sql(", 0)");
        }
    }

    /**
     * {@code EXISTS} an element of the JSON list equal to one of the values, comparing like with like:
     * JSON true/false are 1/0 to SQLite and instants are {@code {"$date": text}} objects, so each value
     * only meets elements of its own JSON type.
     */
    private static void anyElement(String column, List<Object> values, SqlStatement out) {
        out.sql("EXISTS (SELECT 1 FROM json_each(").name(column).sql(") WHERE ");
        int groups = 0;
        for (ElementKind kind : ElementKind.values()) {
            List<Object> ofKind = values.stream().filter(kind::holds).toList();
            if (!ofKind.isEmpty()) {
                out.sql(groups++ == 0 ? "(" : " OR (").sql(kind.condition).sql(" IN (");
                valueList(ofKind, out);
                out.sql("))");
            }
        }
        out.sql(")");
    }

    /** The JSON types a list element can have, each with the SQL that selects and reads such an element. */
    private enum ElementKind {
        TEXT("type = 'text' AND value"),
        NUMBER("type IN ('integer', 'real') AND value"),
        BOOLEAN("type IN ('true', 'false') AND value"),
        INSTANT("type = 'object' AND json_extract(value, '$.\"$date\"')");

        private final String condition;

        ElementKind(String condition) {
            this.condition = condition;
        }

        boolean holds(Object value) {
            return switch (this) {
                case TEXT -> value instanceof String;
                case NUMBER -> value instanceof Long || value instanceof Double;
                case BOOLEAN -> value instanceof Boolean;
                case INSTANT -> value instanceof java.time.Instant;
            };
        }
    }

    private static void valueList(List<Object> values, SqlStatement out) {
        for (int i = 0; i < values.size(); i++) {
            out.sql(i == 0 ? "" : ", ").param(values.get(i));
        }
    }

    private static void junction(CollectionSpec spec, List<Filter> filters, String operator, String empty,
                                 SqlStatement out) {
        if (filters.isEmpty()) {
            out.sql(empty);
            return;
        }
        out.sql("(");
        for (int i = 0; i < filters.size(); i++) {
            out.sql(i == 0 ? "" : operator);
            where(spec, filters.get(i), out);
        }
        out.sql(")");
    }

    private static String column(CollectionSpec spec, String field) {
        return spec.field(field).column();
    }
}
