package dev.orbit.db.postgres;

import dev.orbit.db.sql.SqlTranslator;
import java.util.List;

/**
 * PostgreSQL's spelling of the shared translation ({@link SqlTranslator}). List fields are {@code jsonb}
 * arrays: an element test is containment ({@code @>}), which compares like with like (true is not 1, an
 * instant is a {@code $date} object).
 */
final class PgTranslator extends SqlTranslator<PgStatement> {
    /**
     * For CREATE INDEX (run by migrations, before a pool knows the server version): an index's keys and condition need
     * no fold collation.
     */
    static final PgTranslator INDEXES = new PgTranslator(null);

    private final String foldCollation;

    /**
     * @param foldCollation the collation whose {@code upper}/{@code lower} map every Unicode letter (PostgreSQL
     *                      17's builtin {@code pg_c_utf8}), or null to use the database's default
     */
    PgTranslator(String foldCollation) {
        super("TRUE", "FALSE", "COALESCE", "IS DISTINCT FROM");
        this.foldCollation = foldCollation;
    }

    @Override
    protected void listEquals(String column, Object value, PgStatement out) {
        out.name(column).sql(" = ").jsonParam(value);
    }

    @Override
    protected void anyElement(String column, List<Object> values, PgStatement out) {
        for (int i = 0; i < values.size(); i++) {
            out.sql(i == 0 ? "" : " OR ").name(column).sql(" @> ").jsonParam(List.of(values.get(i)));
        }
    }

    @Override
    protected void containsFolded(String column, String folded, PgStatement out) {
        // Fold like CaseFolding: each code point upper-cased, then lower-cased, no context rules.
        out.sql("strpos(lower(upper(").name(column);
        if (foldCollation != null) {
            out.sql(" COLLATE ").name(foldCollation);
        }
        out.sql(")), ").param(folded).sql(") > 0");
    }

    @Override
    protected String direction(boolean ascending) {
        return ascending ? " ASC NULLS FIRST" : " DESC NULLS LAST";
    }

    @Override
    protected void increment(String column, Number amount, PgStatement out) {
        // bigint + bigint fails on overflow (SQLSTATE 22003) and keeps the value, as MongoDB does.
        out.name(column).sql(" = COALESCE(").name(column).sql(", 0) + ").param(amount);
    }

    @Override
    protected void push(String column, Object value, PgStatement out) {
        out.name(column).sql(" = COALESCE(").name(column).sql(", '[]'::jsonb) || jsonb_build_array(")
                .jsonParam(value).sql(")");
    }
}
