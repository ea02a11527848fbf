package dev.orbit.db.postgres;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.Document;
import dev.orbit.db.FieldSpec;

/**
 * A collection's table and its fixed statements, built once: the column list read, the one-row INSERT, and the
 * group INSERT of {@link PgGroupInsert} (one text array per column, cast to the column's type).
 *
 * @param idColumn the id's position among the columns (0-based)
 */
record PgTable(CollectionSpec spec, String selectSql, String insertSql, String groupInsertSql, int idColumn) {
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
        return new PgTable(spec, select.text(), insert.text(), groupInsert(spec), idColumn(spec));
    }

    /**
     * {@code INSERT ... SELECT ... FROM unnest(?::text[], ...) ON CONFLICT DO NOTHING RETURNING id}: one text
     * fixed for any number of rows (so the server keeps it prepared), rows that would break a unique index
     * skipped rather than failing the others, and the ids of the rows stored returned.
     */
    private static String groupInsert(CollectionSpec spec) {
        PgStatement sql = new PgStatement().sql("INSERT INTO ").name(spec.name()).sql(" (");
        columns(spec, sql);
        sql.sql(") SELECT ");
        int i = 0;
        for (FieldSpec field : spec.fields().values()) {
            sql.sql(i++ == 0 ? "" : ", ").name(field.column()).sql(PgValues.castFromText(field.type()));
        }
        sql.sql(" FROM unnest(");
        for (i = 0; i < spec.fields().size(); i++) {
            sql.sql(i == 0 ? "?::text[]" : ", ?::text[]");
        }
        sql.sql(") AS rows (");
        columns(spec, sql);
        sql.sql(") ON CONFLICT DO NOTHING RETURNING ");
        for (FieldSpec field : spec.fields().values()) {
            if (field.isId()) {
                sql.name(field.column());
            }
        }
        return sql.text();
    }

    private static int idColumn(CollectionSpec spec) {
        int i = 0;
        for (FieldSpec field : spec.fields().values()) {
            if (field.isId()) {
                return i;
            }
            i++;
        }
        throw new IllegalArgumentException(spec.name() + " has no id field");
    }

    String name() {
        return spec.name();
    }

    /** A validated document, id included, as the text of each column in order ({@link PgValues#text}). */
    String[] texts(Document document) {
        String[] out = new String[spec.fields().size()];
        int i = 0;
        for (FieldSpec field : spec.fields().values()) {
            out[i++] = PgValues.text(document.get(field.name()));
        }
        return out;
    }

    private static void columns(CollectionSpec spec, PgStatement sql) {
        int i = 0;
        for (FieldSpec field : spec.fields().values()) {
            sql.sql(i++ == 0 ? "" : ", ").name(field.column());
        }
    }
}
