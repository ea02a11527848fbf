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
import java.util.HashMap;
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

    /** An existing column: its type as information_schema names it, and its collation (null: the default). */
    private record Column(String type, String collation) {
    }

    static void reconcile(Connection c, CollectionSpec spec) throws SQLException {
        Map<String, Column> existing = columns(c, spec.name());
        if (existing.isEmpty()) {
            execute(c, createTable(spec));
        } else {
            for (FieldSpec field : spec.fields().values()) {
                Column column = existing.get(field.column());
                if (column == null) {
                    execute(c, new PgStatement().sql("ALTER TABLE ").name(spec.name()).sql(" ADD COLUMN ")
                            .name(field.column()).sql(" ").sql(PgValues.columnType(field.type())).text());
                } else if (!matches(column, field.type())) {
                    execute(c, new PgStatement().sql("ALTER TABLE ").name(spec.name()).sql(" ALTER COLUMN ")
                            .name(field.column()).sql(" TYPE ").sql(PgValues.columnType(field.type()))
                            .sql(" USING ").sql(conversion(field, column.type())).text());
                }
            }
        }
        for (IndexSpec index : spec.indexes()) {
            createIndex(c, spec, index);
        }
    }

    static void createIndex(Connection c, CollectionSpec spec, IndexSpec index) throws SQLException {
        PgStatement sql = new PgStatement().sql(index.unique() ? "CREATE UNIQUE INDEX IF NOT EXISTS "
                : "CREATE INDEX IF NOT EXISTS ").name(index.name()).sql(" ON ").name(spec.name()).sql(" (");
        for (int i = 0; i < index.keys().size(); i++) {
            sql.sql(i == 0 ? "" : ", ");
            PgTranslator.key(spec, index.keys().get(i), sql);
        }
        execute(c, sql.sql(")").text());
    }

    private static boolean matches(Column column, FieldType type) {
        return column.type().equals(PgValues.reportedType(type))
                && (type != FieldType.STRING || "C".equals(column.collation()));
    }

    /**
     * The expression that turns the old column into the new type. Text written by the reference: instants as
     * ISO-8601 (read as UTC without an offset: the migration sets the session's time zone), booleans as
     * 0/1, JSON as text; empty text counts as missing.
     */
    private static String conversion(FieldSpec field, String from) {
        String col = '"' + field.column() + '"';
        boolean text = from.equals("text") || from.equals("character varying") || from.equals("character");
        String value = text ? "NULLIF(" + col + ", '')" : col;
        return switch (field.type()) {
            case STRING -> col + "::text";
            case LONG -> from.equals("boolean") ? col + "::integer::bigint" : value + "::bigint";
            case DOUBLE -> value + "::double precision";
            case BOOLEAN -> text ? "lower(" + value + ") IN ('1', 't', 'true', 'yes', 'on')"
                    : from.equals("boolean") ? col : col + " <> 0";
            case INSTANT -> "date_trunc('milliseconds', " + (from.equals("timestamp without time zone")
                    ? col + " AT TIME ZONE 'UTC'" : value + "::timestamptz") + ")";
            case MAP, LIST -> value + "::jsonb";
        };
    }

    private static Map<String, Column> columns(Connection c, String table) throws SQLException {
        Map<String, Column> out = new HashMap<>();
        try (PreparedStatement statement = c.prepareStatement("SELECT column_name, data_type, collation_name"
                + " FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?")) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    out.put(rows.getString(1), new Column(rows.getString(2), rows.getString(3)));
                }
            }
        }
        return out;
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
