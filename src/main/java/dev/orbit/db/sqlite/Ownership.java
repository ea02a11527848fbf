package dev.orbit.db.sqlite;

import dev.orbit.db.SchemaVersionException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a SQLite file is ORBIT's to upgrade. Opening a file adds ORBIT's tables and switches it to WAL, so a
 * mistyped path must not reach another application's database. A file is ORBIT's when it holds no tables yet
 * (new or empty) or holds the tables every ORBIT has, this one and the reference (users, sessions, api_keys,
 * system_prompts, chat_history); {@code PRAGMA user_version} alone proves nothing, as many applications set it.
 * Anything else is refused, unchanged, unless the operator says it is meant ({@link SqliteOptions#allowForeign()}).
 */
final class Ownership {
    /** The tables of the reference ORBIT's layout, which every ORBIT database holds. */
    static final List<String> ORBIT_TABLES = List.of("users", "sessions", "api_keys", "system_prompts", "chat_history");

    /** The option that lets ORBIT take over a file all the same, as the CLI spells it. */
    static final String ALLOW_OPTION = "--allow-foreign-database";

    private Ownership() {
    }

    /**
     * Refuses a file that holds tables but not ORBIT's, unless {@code allow}; changes nothing either way. Even
     * allowed, a foreign file with a {@code user_version} of its own is refused: ORBIT's migrations would take that
     * number for their own and skip creating its tables.
     */
    static void refuseForeign(SqlConnection c, Path path, boolean allow) throws SQLException {
        List<String> tables = tables(c);
        if (tables.isEmpty() || tables.containsAll(ORBIT_TABLES)) {
            return;
        }
        if (allow) {
            int version = Migrations.userVersion(c);
            if (version != 0) {
                throw new SchemaVersionException(path + " is not an ORBIT database and carries a schema version of its"
                        + " own (PRAGMA user_version " + version + "): ORBIT cannot add its tables to it, even with "
                        + ALLOW_OPTION);
            }
            return;
        }
        List<String> shown = tables.size() > 5 ? tables.subList(0, 5) : tables;
        throw new SchemaVersionException(path + " is not an ORBIT database (it holds " + String.join(", ", shown)
                + (tables.size() > shown.size() ? " and " + (tables.size() - shown.size()) + " more tables" : "")
                + ", not ORBIT's " + String.join(", ", ORBIT_TABLES) + "): refusing to add ORBIT's tables to it;"
                + " check the path, or pass " + ALLOW_OPTION + " if it is meant");
    }

    /** The file's tables by name, without SQLite's own. */
    static final String TABLES = "SELECT name FROM sqlite_master WHERE type = 'table'"
            + " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name";

    private static List<String> tables(SqlConnection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rows = c.prepare(TABLES).executeQuery()) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        return tables;
    }
}
