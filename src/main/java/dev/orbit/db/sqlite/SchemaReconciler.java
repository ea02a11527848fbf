package dev.orbit.db.sqlite;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.FieldSpec;
import dev.orbit.db.IndexSpec;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/**
 * Brings a table to a collection's declared shape: creates it if missing, adds missing columns (a
 * database from an older reference ORBIT may lack some), creates missing indexes. Idempotent, never
 * drops or changes what exists, so extra tables and columns of the reference survive.
 */
final class SchemaReconciler {
    private SchemaReconciler() {
    }

    static void reconcile(SqlConnection c, CollectionSpec spec) throws SQLException {
        Set<String> existing = columns(c, spec.name());
        if (existing.isEmpty()) {
            c.execute(createTable(spec));
        } else {
            for (FieldSpec field : spec.fields().values()) {
                if (!existing.contains(field.column())) {
                    SqlStatement alter = new SqlStatement().sql("ALTER TABLE ").name(spec.name()).sql(" ADD COLUMN ")
                            .name(field.column()).sql(" ").sql(SqlValues.columnType(field));
                    c.execute(alter.text());
                }
            }
        }
        for (IndexSpec index : spec.indexesOn(IndexSpec.Backends.SQL)) {
            createIndex(c, spec, index);
        }
    }

    static void createIndex(SqlConnection c, CollectionSpec spec, IndexSpec index) throws SQLException {
        SqlStatement sql = new SqlStatement();
        SqliteTranslator.INSTANCE.createIndex(spec, index, sql);
        c.execute(sql.text());
    }

    /**
     * Drops the indexes the collection retires, and those declared for MongoDB only (by name: another index on the
     * same columns stays).
     */
    static void dropRetiredIndexes(SqlConnection c, CollectionSpec spec) throws SQLException {
        for (String retired : spec.droppedIndexesOn(IndexSpec.Backends.SQL)) {
            c.execute(new SqlStatement().sql("DROP INDEX IF EXISTS ").name(retired).text());
        }
    }

    /** The table's column names; empty when the table does not exist. */
    static Set<String> columns(SqlConnection c, String table) throws SQLException {
        Set<String> names = new HashSet<>();
        try (ResultSet rows = c.prepare(new SqlStatement().sql("PRAGMA table_info(").name(table).sql(")").text())
                .executeQuery()) {
            while (rows.next()) {
                names.add(rows.getString("name"));
            }
        }
        return names;
    }

    private static String createTable(CollectionSpec spec) {
        SqlStatement sql = new SqlStatement().sql("CREATE TABLE IF NOT EXISTS ").name(spec.name()).sql(" (");
        int i = 0;
        for (FieldSpec field : spec.fields().values()) {
            sql.sql(i++ == 0 ? "" : ", ").name(field.column()).sql(" ").sql(SqlValues.columnType(field));
            if (field.isId()) {
                sql.sql(" PRIMARY KEY");
            } else if (field.required()) {
                sql.sql(" NOT NULL");
            }
        }
        return sql.sql(")").text();
    }
}
