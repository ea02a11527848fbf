package dev.orbit.db.postgres;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.FieldSpec;

/** A collection's table and its two fixed statements, built once: the column list read and the INSERT. */
record PgTable(CollectionSpec spec, String selectSql, String insertSql) {
    static PgTable of(CollectionSpec spec) {
        PgStatement select = new PgStatement().sql("SELECT ");
        columns(spec, select);
        select.sql(" FROM ").name(spec.name());

        PgStatement insert = new PgStatement().sql("INSERT INTO ").name(spec.name()).sql(" (");
        columns(spec, insert);
        insert.sql(") VALUES (");
        for (int i = 0; i < spec.fields().size(); i++) {
            insert.sql(i == 0 ? "?" : ", ?");
        }
        insert.sql(")");
        return new PgTable(spec, select.text(), insert.text());
    }

    String name() {
        return spec.name();
    }

    private static void columns(CollectionSpec spec, PgStatement sql) {
        int i = 0;
        for (FieldSpec field : spec.fields().values()) {
            sql.sql(i++ == 0 ? "" : ", ").name(field.column());
        }
    }
}
