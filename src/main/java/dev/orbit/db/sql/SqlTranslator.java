package dev.orbit.db.sql;

import dev.orbit.db.CaseFolding;
import dev.orbit.db.CollectionSpec;
import dev.orbit.db.FieldSpec;
import dev.orbit.db.FieldType;
import dev.orbit.db.Filter;
import dev.orbit.db.IndexSpec;
import dev.orbit.db.Sort;
import dev.orbit.db.Update;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates validated filters, sorts and updates into SQL with MongoDB's semantics, for either SQL backend;
 * a backend's subclass supplies only what its dialect spells differently (JSON lists, case folding, NULL
 * order, boolean literals, overflow-checked addition).
 *
 * <p>SQL's three-valued logic differs from MongoDB only under negation: a comparison with a NULL column
 * yields NULL, which AND, OR and WHERE already treat as "no match". So leaves stay plain (and can use
 * indexes) and only {@code NOT} maps NULL to false first.
 *
 * <p>Subclasses are stateless or immutable: one instance serves every query, so translating allocates no
 * more than the statement being built.
 *
 * @param <S> the backend's statement builder
 */
public abstract class SqlTranslator<S extends SqlBuilder<S>> {
    private final String trueLiteral;
    private final String falseLiteral;
    private final String notOpen;
    private final String notClose;
    private final String distinctFrom;

    /**
     * @param trueLiteral  the SQL for true (an empty AND)
     * @param falseLiteral the SQL for false (an empty OR or IN)
     * @param ifNull       the two-argument function that replaces NULL, so that {@code NOT} maps NULL to false
     * @param distinctFrom the operator that is true when two values differ, NULL being a value like any other
     */
    protected SqlTranslator(String trueLiteral, String falseLiteral, String ifNull, String distinctFrom) {
        this.trueLiteral = trueLiteral;
        this.falseLiteral = falseLiteral;
        this.notOpen = "NOT " + ifNull + "(";
        this.notClose = ", " + falseLiteral + ")";
        this.distinctFrom = " " + distinctFrom + " ";
    }

    /** Whether {@code column}, a list, equals the list {@code value} element by element. */
    protected abstract void listEquals(String column, Object value, S out);

    /** Whether the list in {@code column} holds an element equal to one of {@code values} (none null). */
    protected abstract void anyElement(String column, List<Object> values, S out);

    /** Whether the text in {@code column} contains {@code folded}, both folded like {@link CaseFolding}. */
    protected abstract void containsFolded(String column, String folded, S out);

    /** The direction of a sort key, placing missing values first ascending and last descending (MongoDB's order). */
    protected abstract String direction(boolean ascending);

    /** {@code column = column + amount}, a missing value counting as 0, failing on long overflow. */
    protected abstract void increment(String column, Number amount, S out);

    /** {@code column = column} with {@code value} appended, a missing list counting as empty. */
    protected abstract void push(String column, Object value, S out);

    public final void where(CollectionSpec spec, Filter filter, S out) {
        switch (filter) {
            case Filter.Compare c -> compare(spec.field(c.field()), c, out);
            case Filter.In in -> in(spec.field(in.field()), in, out);
            case Filter.Exists ex -> out.name(column(spec, ex.field())).sql(ex.exists() ? " IS NOT NULL" : " IS NULL");
            // Also a partial index's condition (createIndex): one spelling, which the planner matches.
            case Filter.Differs d -> out.name(column(spec, d.field())).sql(distinctFrom).name(column(spec, d.other()));
            case Filter.ContainsIgnoreCase c ->
                    containsFolded(column(spec, c.field()), CaseFolding.fold(c.text()), out);
            case Filter.And and -> junction(spec, and.filters(), " AND ", trueLiteral, out);
            case Filter.Or or -> junction(spec, or.filters(), " OR ", falseLiteral, out);
            case Filter.Not not -> {
                out.sql(notOpen);
                where(spec, not.filter(), out);
                out.sql(notClose);
            }
        }
    }

    /** {@code SELECT} the columns of {@code fields} (a validated projection's) {@code FROM} the collection's table. */
    public final void select(CollectionSpec spec, List<FieldSpec> fields, S out) {
        out.sql("SELECT ");
        for (int i = 0; i < fields.size(); i++) {
            out.sql(i == 0 ? "" : ", ").name(fields.get(i).column());
        }
        out.sql(" FROM ").name(spec.name());
    }

    public final void orderBy(CollectionSpec spec, Sort sort, S out) {
        if (sort.isNone()) {
            return;
        }
        out.sql(" ORDER BY ");
        for (int i = 0; i < sort.keys().size(); i++) {
            out.sql(i == 0 ? "" : ", ");
            key(spec, sort.keys().get(i), out);
        }
    }

    /**
     * {@code CREATE [UNIQUE] INDEX IF NOT EXISTS} of a declared index. A partial one's condition is spelled as the
     * filters that state it ({@link Filter.Exists}, {@link Filter.Differs}) are, so that a planner matches a query's
     * terms to it.
     */
    public final void createIndex(CollectionSpec spec, IndexSpec index, S out) {
        out.sql(index.unique() ? "CREATE UNIQUE INDEX IF NOT EXISTS " : "CREATE INDEX IF NOT EXISTS ")
                .name(index.name()).sql(" ON ").name(spec.name()).sql(" (");
        for (int i = 0; i < index.keys().size(); i++) {
            out.sql(i == 0 ? "" : ", ");
            key(spec, index.keys().get(i), out);
        }
        out.sql(")");
        List<Filter> condition = new ArrayList<>();
        index.present().forEach(field -> condition.add(new Filter.Exists(field, true)));
        if (index.exceptEqual() != null) {
            condition.add(new Filter.Differs(index.exceptEqual().field(), index.exceptEqual().other()));
        }
        for (int i = 0; i < condition.size(); i++) {
            out.sql(i == 0 ? " WHERE " : " AND ");
            where(spec, condition.get(i), out);
        }
    }

    /** One sort or index key. */
    public final void key(CollectionSpec spec, Sort.Key key, S out) {
        out.name(column(spec, key.field())).sql(direction(key.ascending()));
    }

    /** The SET clause of a validated, flattened update; returns false when only insert-time fields are set. */
    public final boolean set(CollectionSpec spec, List<Update> update, S out) {
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

    private void setOne(CollectionSpec spec, Update op, S out) {
        switch (op) {
            case Update.Set s -> out.name(column(spec, s.field())).sql(" = ").param(s.value());
            case Update.Unset u -> out.name(column(spec, u.field())).sql(" = NULL");
            case Update.Inc inc -> increment(column(spec, inc.field()), inc.amount(), out);
            case Update.Push p -> push(column(spec, p.field()), p.value(), out);
            case Update.SetOnInsert s -> throw new IllegalStateException("setOnInsert is not an update");
            case Update.Combined c -> throw new IllegalStateException("update was not flattened");
        }
    }

    private void compare(FieldSpec field, Filter.Compare c, S out) {
        String column = field.column();
        Object value = c.value();
        boolean listField = field.type() == FieldType.LIST;
        switch (c.op()) {
            case EQ -> {
                if (value == null) {
                    out.name(column).sql(" IS NULL");
                } else if (listField && value instanceof List<?>) {
                    listEquals(column, value, out);
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
                    // Not equal: the negation of EQ, a missing value (NULL) counting as not equal.
                    out.sql(notOpen);
                    compare(field, new Filter.Compare(c.field(), Filter.Op.EQ, value), out);
                    out.sql(notClose);
                }
            }
            case GT -> out.name(column).sql(" > ").param(value);
            case GTE -> out.name(column).sql(" >= ").param(value);
            case LT -> out.name(column).sql(" < ").param(value);
            case LTE -> out.name(column).sql(" <= ").param(value);
        }
    }

    private void in(FieldSpec field, Filter.In in, S out) {
        if (in.negated()) {
            out.sql(notOpen);
        }
        List<Object> present = in.values().stream().filter(v -> v != null).toList();
        boolean matchesMissing = present.size() < in.values().size();
        out.sql("(");
        if (present.isEmpty()) {
            out.sql(falseLiteral);
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
            out.sql(notClose);
        }
    }

    /** The values as comma-separated parameters. */
    protected final void valueList(List<Object> values, S out) {
        for (int i = 0; i < values.size(); i++) {
            out.sql(i == 0 ? "" : ", ").param(values.get(i));
        }
    }

    private void junction(CollectionSpec spec, List<Filter> filters, String operator, String empty, S out) {
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
