package dev.orbit.db.sqlite;

import dev.orbit.db.sql.SqlTranslator;
import java.util.List;

/** SQLite's spelling of the shared translation ({@link SqlTranslator}); one stateless instance serves all queries. */
final class SqliteTranslator extends SqlTranslator<SqlStatement> {
    static final SqliteTranslator INSTANCE = new SqliteTranslator();

    /** Registered on every connection: {@link dev.orbit.db.CaseFolding}, as SQLite's own lower() folds ASCII only. */
    static final String FOLD_FUNCTION = "orbit_fold";
    /** Registered on every connection: long addition that fails on overflow (SQLite would turn it into a REAL). */
    static final String ADD_LONG_FUNCTION = "orbit_add_long";

    private SqliteTranslator() {
        super("1", "0", "IFNULL", "IS NOT");
    }

    @Override
    protected void listEquals(String column, Object value, SqlStatement out) {
        out.sql("IFNULL(json(").name(column).sql(") = ").jsonParam(value).sql(", 0)");
    }

    /**
     * {@code EXISTS} an element of the JSON list equal to one of the values, comparing like with like:
     * JSON true/false are 1/0 to SQLite and instants are {@code {"$date": text}} objects, so each value
     * only meets elements of its own JSON type.
     */
    @Override
    protected void anyElement(String column, List<Object> values, SqlStatement out) {
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

    @Override
    protected void containsFolded(String column, String folded, SqlStatement out) {
        out.sql("instr(" + FOLD_FUNCTION + "(").name(column).sql("), ").param(folded).sql(") > 0");
    }

    @Override
    protected String direction(boolean ascending) {
        // SQLite puts NULLs first ascending and last descending: MongoDB's order for missing fields.
        return ascending ? " ASC" : " DESC";
    }

    @Override
    protected void increment(String column, Number amount, SqlStatement out) {
        if (amount instanceof Long) {
            out.name(column).sql(" = " + ADD_LONG_FUNCTION + "(").name(column).sql(", ").param(amount).sql(")");
        } else {
            out.name(column).sql(" = COALESCE(").name(column).sql(", 0) + ").param(amount);
        }
    }

    @Override
    protected void push(String column, Object value, SqlStatement out) {
        out.name(column).sql(" = json_insert(COALESCE(").name(column).sql(", '[]'), '$[#]', ")
                .jsonParam(value).sql(")");
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
}
