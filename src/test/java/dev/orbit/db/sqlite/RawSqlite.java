package dev.orbit.db.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Plain sqlite-jdbc access to a database file, to set up and inspect it without the backend under test. */
final class RawSqlite {
    private RawSqlite() {
    }

    static Connection open(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    /** Runs each statement in order on one connection. */
    static void execute(Path file, String... statements) throws SQLException {
        try (Connection c = open(file); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** The rows of a query, each as column label to value (as the driver returns it). */
    static List<Map<String, Object>> query(Path file, String sql, Object... params) throws SQLException {
        try (Connection c = open(file); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            List<Map<String, Object>> out = new ArrayList<>();
            try (ResultSet rows = s.executeQuery()) {
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= columns; i++) {
                        row.put(rows.getMetaData().getColumnLabel(i), rows.getObject(i));
                    }
                    out.add(row);
                }
            }
            return out;
        }
    }

    static Object scalar(Path file, String sql, Object... params) throws SQLException {
        List<Map<String, Object>> rows = query(file, sql, params);
        return rows.isEmpty() ? null : rows.getFirst().values().iterator().next();
    }

    static int userVersion(Path file) throws SQLException {
        return ((Number) scalar(file, "PRAGMA user_version")).intValue();
    }

    static Set<String> columns(Path file, String table) throws SQLException {
        Set<String> names = new TreeSet<>();
        for (Map<String, Object> row : query(file, "SELECT name FROM pragma_table_info(?)", table)) {
            names.add((String) row.get("name"));
        }
        return names;
    }

    /** Every table, index, view and trigger: "type name" to its SQL (null for automatic indexes). */
    static Map<String, String> schemaObjects(Path file) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        for (Map<String, Object> row : query(file, "SELECT type, name, sql FROM sqlite_master")) {
            out.put(row.get("type") + " " + row.get("name"), (String) row.get("sql"));
        }
        return out;
    }

    static String integrityCheck(Path file) throws SQLException {
        return (String) scalar(file, "PRAGMA integrity_check");
    }
}
