package dev.orbit.db.sqlite;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.FieldSpec;

/**
 * A collection's table and its two fixed statements, built once: every row is read with the same
 * column list and written by the same INSERT, so each is prepared once per connection.
 */
record SqliteTable(CollectionSpec spec, String selectSql, String insertSql) {
    static SqliteTable of(CollectionSpec spec) {
        SqlStatement select = new SqlStatement().sql("SELECT ");
        columns(spec, select);
        select.sql(" FROM ").name(spec.name());

        SqlStatement insert = new SqlStatement().sql("INSERT INTO ").name(spec.name()).sql(" (");
        columns(spec, insert);
        insert.sql(") VALUES (");
        for (int i = 0; i < spec.fields().size(); i++) {
            insert.sql(i == 0 ? "?" : ", ?");
        }
        insert.sql(")");
        return new SqliteTable(spec, select.text(), insert.text());
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
