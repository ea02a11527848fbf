package dev.orbit.db.postgres;

import dev.orbit.db.CaseFolding;
import dev.orbit.db.CollectionSpec;
import dev.orbit.db.FieldSpec;
import dev.orbit.db.FieldType;
import dev.orbit.db.Filter;
import dev.orbit.db.Sort;
import dev.orbit.db.Update;
import java.util.List;

/**
 * Translates validated filters, sorts and updates into PostgreSQL with MongoDB's semantics. As on SQLite, a
 * comparison with NULL yields NULL, which AND, OR and WHERE already treat as "no match"; only {@code NOT}
 * maps NULL to false first. List fields are {@code jsonb} arrays: an element test is containment
 * ({@code @>}), which compares like with like (true is not 1, an instant is a {@code $date} object).
 *
 * @param foldCollation the collation whose {@code upper}/{@code lower} map every Unicode letter (PostgreSQL
 *                      17's builtin {@code pg_c_utf8}), or null to use the database's default
 */
record PgTranslator(String foldCollation) {
    void where(CollectionSpec spec, Filter filter, PgStatement out) {
        switch (filter) {
            case Filter.Compare c -> compare(spec.field(c.field()), c, out);
            case Filter.In in -> in(spec.field(in.field()), in, out);
            case Filter.Exists ex -> out.name(spec.field(ex.field()).column())
                    .sql(ex.exists() ? " IS NOT NULL" : " IS NULL");
            case Filter.ContainsIgnoreCase c -> {
                // Fold like CaseFolding: each code point upper-cased, then lower-cased, no context rules.
                out.sql("strpos(lower(upper(").name(spec.field(c.field()).column());
                if (foldCollation != null) {
                    out.sql(" COLLATE ").name(foldCollation);
                }
                out.sql(")), ").param(CaseFolding.fold(c.text())).sql(") > 0");
            }
            case Filter.And and -> junction(spec, and.filters(), " AND ", "TRUE", out);
            case Filter.Or or -> junction(spec, or.filters(), " OR ", "FALSE", out);
            case Filter.Not not -> {
                out.sql("NOT COALESCE(");
                where(spec, not.filter(), out);
                out.sql(", FALSE)");
            }
        }
    }

    static void orderBy(CollectionSpec spec, Sort sort, PgStatement out) {
        if (sort.isNone()) {
            return;
        }
        out.sql(" ORDER BY ");
        for (int i = 0; i < sort.keys().size(); i++) {
            out.sql(i == 0 ? "" : ", ");
            key(spec, sort.keys().get(i), out);
        }
    }

    /** One sort or index key: MongoDB puts missing values first ascending and last descending. */
    static void key(CollectionSpec spec, Sort.Key key, PgStatement out) {
        out.name(spec.field(key.field()).column()).sql(key.ascending() ? " ASC NULLS FIRST" : " DESC NULLS LAST");
    }

    /** The SET clause of a validated, flattened update; returns false when only insert-time fields are set. */
    static boolean set(CollectionSpec spec, List<Update> update, PgStatement out) {
        int written = 0;
        for (Update op : update) {
            if (op instanceof Update.SetOnInsert) {
                continue;
            }
            out.sql(written++ == 0 ? " SET " : ", ");
            setOne(spec, op, out);
        }
        return written > 0;
    }

    private static void setOne(CollectionSpec spec, Update op, PgStatement out) {
        switch (op) {
            case Update.Set s -> out.name(column(spec, s.field())).sql(" = ").param(s.value());
            case Update.Unset u -> out.name(column(spec, u.field())).sql(" = NULL");
            case Update.Inc inc -> {
                // bigint + bigint fails on overflow (SQLSTATE 22003) and keeps the value, as MongoDB does.
                String column = column(spec, inc.field());
                out.name(column).sql(" = COALESCE(").name(column).sql(", 0) + ").param(inc.amount());
            }
            case Update.Push push -> {
                String column = column(spec, push.field());
                out.name(column).sql(" = COALESCE(").name(column).sql(", '[]'::jsonb) || jsonb_build_array(")
                        .jsonParam(push.value()).sql(")");
            }
            case Update.SetOnInsert s -> throw new IllegalStateException("setOnInsert is not an update");
            case Update.Combined c -> throw new IllegalStateException("update was not flattened");
        }
    }

    private static void compare(FieldSpec field, Filter.Compare c, PgStatement out) {
        String column = field.column();
        Object value = c.value();
        boolean listField = field.type() == FieldType.LIST;
        switch (c.op()) {
            case EQ -> {
                if (value == null) {
                    out.name(column).sql(" IS NULL");
                } else if (listField && value instanceof List<?>) {
                    out.name(column).sql(" = ").jsonParam(value);
                } else if (listField) {
                    out.name(column).sql(" @> ").jsonParam(List.of(value));
                } else {
                    out.name(column).sql(" = ").param(value);
                }
            }
            case NE -> {
                if (value == null) {
                    out.name(column).sql(" IS NOT NULL");
                } else {
                    out.sql("NOT COALESCE(");
                    compare(field, new Filter.Compare(c.field(), Filter.Op.EQ, value), out);
                    out.sql(", FALSE)");
                }
            }
            case GT -> out.name(column).sql(" > ").param(value);
            case GTE -> out.name(column).sql(" >= ").param(value);
            case LT -> out.name(column).sql(" < ").param(value);
            case LTE -> out.name(column).sql(" <= ").param(value);
        }
    }

    private static void in(FieldSpec field, Filter.In in, PgStatement out) {
        if (in.negated()) {
            out.sql("NOT COALESCE(");
        }
        List<Object> present = in.values().stream().filter(v -> v != null).toList();
        boolean matchesMissing = present.size() < in.values().size();
        out.sql("(");
        if (present.isEmpty()) {
            out.sql("FALSE");
        } else if (field.type() == FieldType.LIST) {
            for (int i = 0; i < present.size(); i++) {
                out.sql(i == 0 ? "" : " OR ").name(field.column()).sql(" @> ").jsonParam(List.of(present.get(i)));
            }
        } else {
            out.name(field.column()).sql(" IN (");
            for (int i = 0; i < present.size(); i++) {
                out.sql(i == 0 ? "" : ", ").param(present.get(i));
            }
            out.sql(")");
        }
        if (matchesMissing) {
            out.sql(" OR ").name(field.column()).sql(" IS NULL");
        }
        out.sql(")");
        if (in.negated()) {
            out.sql(", FALSE)");
        }
    }

    private void junction(CollectionSpec spec, List<Filter> filters, String operator, String empty, PgStatement out) {
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
