package dev.orbit.db.sqlite;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.FieldSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A collection's table and its fixed statements, built once: every row is read with the same column list and
 * written by the same INSERT of one row, or of up to {@link #MAX_ROWS_PER_INSERT} rows at once, so each is prepared
 * once per connection.
 */
record SqliteTable(CollectionSpec spec, String selectSql, List<String> insertSqls) {
    /** The most rows one INSERT statement writes (a chat turn is two); more go row by row in a savepoint. */
    static final int MAX_ROWS_PER_INSERT = 8;

    static SqliteTable of(CollectionSpec spec) {
        SqlStatement select = new SqlStatement().sql("SELECT ");
        columns(spec, select);
        select.sql(" FROM ").name(spec.name());

        List<String> inserts = new ArrayList<>();
        for (int rows = 1; rows <= MAX_ROWS_PER_INSERT; rows++) {
            SqlStatement insert = new SqlStatement().sql("INSERT INTO ").name(spec.name()).sql(" (");
            columns(spec, insert);
            insert.sql(") VALUES ");
            for (int row = 0; row < rows; row++) {
                insert.sql(row == 0 ? "(" : ", (");
                for (int i = 0; i < spec.fields().size(); i++) {
                    insert.sql(i == 0 ? "?" : ", ?");
                }
                insert.sql(")");
            }
            inserts.add(insert.text());
        }
        return new SqliteTable(spec, select.text(), List.copyOf(inserts));
    }

    /** The INSERT of one row. */
    String insertSql() {
        return insertSqls.getFirst();
    }

    /** The INSERT of {@code rows} rows (1 to {@link #MAX_ROWS_PER_INSERT}). */
    String insertSql(int rows) {
        return insertSqls.get(rows - 1);
    }

    String name() {
        return spec.name();
    }

    private static void columns(CollectionSpec spec, SqlStatement sql) {
        int i = 0;
        for (FieldSpec field : spec.fields().values()) {
            sql.sql(i++ == 0 ? "" : ", ").name(field.column());
        }
    }
}
