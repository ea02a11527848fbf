package dev.orbit.db.postgres;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.FieldSpec;
import dev.orbit.db.FieldType;
import dev.orbit.db.IndexSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.Map;

/**
 * Brings a table to a collection's declared shape, derived from its {@link CollectionSpec} alone: creates it
 * in native types, or adds missing columns and converts columns of another type in place (a reference
 * ORBIT database keeps instants as ISO-8601 {@code TEXT}, booleans as {@code INTEGER} 0/1 and lists and maps
 * as JSON {@code TEXT}), then creates missing indexes. Never drops anything, so the reference's other tables
 * and columns survive. Runs inside the migration transaction (PostgreSQL's DDL is transactional).
 */
final class PgSchema {
    private PgSchema() {
    }

    /** An existing column: its type's name in pg_type, and its collation's name. */
    record Column(String type, String collation) {
    }

    /** What exists: every table's columns and every index name of the current schema, read once. */
    record Catalog(Map<String, Map<String, Column>> tables, Set<String> indexes) {
        static Catalog read(Connection c) throws SQLException {
            Map<String, Map<String, Column>> tables = new HashMap<>();
            try (PreparedStatement statement = c.prepareStatement("SELECT t.relname, a.attname, y.typname,"
                    + " l.collname FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid"
                    + " JOIN pg_type y ON y.oid = a.atttypid LEFT JOIN pg_collation l ON l.oid = a.attcollation"
                    + " WHERE t.relnamespace = current_schema()::regnamespace AND t.relkind IN ('r', 'p')"
                    + " AND a.attnum > 0 AND NOT a.attisdropped"); ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    tables.computeIfAbsent(rows.getString(1), t -> new HashMap<>())
                            .put(rows.getString(2), new Column(rows.getString(3), rows.getString(4)));
                }
            }
            Set<String> indexes = new HashSet<>();
            try (PreparedStatement statement = c.prepareStatement("SELECT relname FROM pg_class WHERE relkind = 'i'"
                    + " AND relnamespace = current_schema()::regnamespace"); ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    indexes.add(rows.getString(1));
                }
            }
            return new Catalog(tables, indexes);
        }
    }

    /** Reconciles every collection, reading the catalog once (at each start-up of every gateway). */
    static void reconcile(Connection c, Collection<CollectionSpec> specs) throws SQLException {
        Catalog catalog = Catalog.read(c);
        for (CollectionSpec spec : specs) {
            reconcile(c, spec, catalog);
        }
    }

    private static void reconcile(Connection c, CollectionSpec spec, Catalog catalog) throws SQLException {
        Map<String, Column> existing = catalog.tables().getOrDefault(spec.name(), Map.of());
        if (existing.isEmpty()) {
            execute(c, createTable(spec));
        } else {
            for (FieldSpec field : spec.fields().values()) {
                Column column = existing.get(field.column());
                if (column == null) {
                    execute(c, new PgStatement().sql("ALTER TABLE ").name(spec.name()).sql(" ADD COLUMN ")
                            .name(field.column()).sql(" ").sql(PgValues.columnType(field.type())).text());
                } else if (!matches(column, field.type())) {
                    // The reference's defaults (active DEFAULT 1) have the old type: dropped, ORBIT writes every value.
                    execute(c, new PgStatement().sql("ALTER TABLE ").name(spec.name()).sql(" ALTER COLUMN ")
                            .name(field.column()).sql(" DROP DEFAULT, ALTER COLUMN ").name(field.column()).sql(" TYPE ").sql(PgValues.columnType(field.type()))
                            .sql(" USING ").sql(conversion(field, column.type())).text());
                }
            }
        }
        for (IndexSpec index : spec.indexesOn(IndexSpec.Backends.SQL)) {
            if (!catalog.indexes().contains(index.name())) {
                createIndex(c, spec, index);
            }
        }
    }

    static void createIndex(Connection c, CollectionSpec spec, IndexSpec index) throws SQLException {
        PgStatement sql = new PgStatement();
        PgTranslator.INDEXES.createIndex(spec, index, sql);
        execute(c, sql.text());
    }

    /**
     * Drops the indexes the collections retire, and those declared for MongoDB only (by name: another index on the
     * same columns stays).
     */
    static void dropRetiredIndexes(Connection c, Collection<CollectionSpec> specs) throws SQLException {
        for (CollectionSpec spec : specs) {
            for (String retired : spec.droppedIndexesOn(IndexSpec.Backends.SQL)) {
                execute(c, new PgStatement().sql("DROP INDEX IF EXISTS ").name(retired).text());
            }
        }
    }

    private static boolean matches(Column column, FieldType type) {
        return column.type().equals(PgValues.typeName(type))
                && (type != FieldType.STRING || "C".equals(column.collation()));
    }

    /**
     * The expression that turns the old column into the new type. Text written by the reference: instants as
     * ISO-8601 (read as UTC without an offset: the migration sets the session's time zone), booleans as
     * 0/1, JSON as text; empty text counts as missing.
     */
    private static String conversion(FieldSpec field, String from) {
        String col = '"' + field.column() + '"';
        boolean text = from.equals("text") || from.equals("varchar") || from.equals("bpchar");
        String value = text ? "NULLIF(" + col + ", '')" : col;
        return switch (field.type()) {
            case STRING -> col + "::text";
            case LONG -> from.equals("bool") ? col + "::integer::bigint" : value + "::bigint";
            case DOUBLE -> value + "::double precision";
            case BOOLEAN -> text ? "lower(" + value + ") IN ('1', 't', 'true', 'yes', 'on')"
                    : from.equals("bool") ? col : col + " <> 0";
            case INSTANT -> "date_trunc('milliseconds', " + (from.equals("timestamp")
                    ? col + " AT TIME ZONE 'UTC'" : value + "::timestamptz") + ")";
            case MAP, LIST -> value + "::jsonb";
        };
    }

    private static String createTable(CollectionSpec spec) {
        PgStatement sql = new PgStatement().sql("CREATE TABLE IF NOT EXISTS ").name(spec.name()).sql(" (");
        int i = 0;
        for (FieldSpec field : spec.fields().values()) {
            sql.sql(i++ == 0 ? "" : ", ").name(field.column()).sql(" ").sql(PgValues.columnType(field.type()));
            if (field.isId()) {
                sql.sql(" PRIMARY KEY");
            } else if (field.required()) {
                sql.sql(" NOT NULL");
            }
        }
        return sql.sql(")").text();
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (Statement statement = c.createStatement()) {
            statement.execute(sql);
        }
    }
}
