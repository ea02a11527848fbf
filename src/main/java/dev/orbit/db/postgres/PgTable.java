package dev.orbit.db.postgres;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.Document;
import dev.orbit.db.FieldSpec;

/**
 * A collection's table and its fixed statements, built once: the column list read, the one-row INSERT, and the
 * two group INSERTs of {@link PgGroupInsert} (one text array per column, cast to the column's type).
 *
 * @param idColumn the id's position among the columns (0-based)
 */
record PgTable(CollectionSpec spec, String selectSql, String insertSql, String groupInsertSql,
               String groupInsertSkippingSql, int idColumn) {
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
        return new PgTable(spec, select.text(), insert.text(), groupInsert(spec, false), groupInsert(spec, true),
                idColumn(spec));
    }

    /**
     * {@code INSERT ... SELECT ... FROM unnest(?::text[], ...)}: one text for any number of rows (so the server
     * keeps it prepared). {@code skipTaken} adds {@code ON CONFLICT DO NOTHING RETURNING id}: rows that would
     * break a unique index are skipped rather than failing the others, and the ids of the rows stored returned
     * (the plain form is cheaper: it probes each unique index once per row, not twice).
     */
    private static String groupInsert(CollectionSpec spec, boolean skipTaken) {
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
        sql.sql(")");
        if (skipTaken) {
            sql.sql(" ON CONFLICT DO NOTHING RETURNING ").name(spec.fields().get(FieldSpec.ID).column());
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
