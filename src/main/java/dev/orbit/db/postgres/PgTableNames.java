package dev.orbit.db.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The tables a PostgreSQL database holds in ORBIT's schema (a reference ORBIT's feedback, audit logs... beside
 * ORBIT's own), without ORBIT's bookkeeping tables: what a copy through the schema could leave behind.
 */
public final class PgTableNames {
    private static final Set<String> BOOKKEEPING = Set.of(PgMigrations.TABLE, PgTtlSweeper.TABLE);

    private PgTableNames() {
    }

    /** Every table of the connection's current schema except ORBIT's bookkeeping, sorted. */
    public static List<String> of(PostgresOptions options) {
        List<String> tables = new ArrayList<>();
        try (Connection c = options.connect(); PreparedStatement s = c.prepareStatement("SELECT relname FROM pg_class"
                + " WHERE relkind IN ('r', 'p') AND relnamespace = current_schema()::regnamespace ORDER BY relname");
             ResultSet rows = s.executeQuery()) {
            while (rows.next()) {
                if (!BOOKKEEPING.contains(rows.getString(1))) {
                    tables.add(rows.getString(1));
                }
            }
            return tables;
        } catch (SQLException e) {
            throw PgErrors.translate(e, "list the tables of " + options.location(), null);
        }
    }
}
