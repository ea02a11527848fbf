package dev.orbit.db.postgres;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.Schema;
import dev.orbit.db.SchemaVersionException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL schema's versioned history, recorded in {@code orbit_schema_migrations} and applied in one
 * transaction under an advisory lock: of several gateways starting at once, one migrates and the others
 * wait, then find the work done. A database whose history goes past this code is refused unchanged.
 */
final class PgMigrations {
    private static final Logger LOG = LoggerFactory.getLogger(PgMigrations.class);
    /** The advisory lock that serialises schema changes: "orbit" in ASCII. */
    static final long LOCK = 0x6f72626974L;
    static final String TABLE = "orbit_schema_migrations";

    /** One step, applied once, in order; never edited after release (a change is a new step). */
    record Migration(int version, String description, Step step) {
    }

    @FunctionalInterface
    interface Step {
        void apply(Connection connection) throws SQLException;
    }

    static final List<Migration> ALL = List.of(
            new Migration(1, "create ORBIT's tables in native types, or convert a reference database's in place",
                    c -> {
                        PgSchema.reconcile(c, OrbitSchema.SCHEMA.collections());
                        PgTtlSweeper.createTable(c);
                    }),
            new Migration(9, "add the user_blacklist and system_state tables, or convert the reference's in place",
                    c -> PgSchema.reconcile(c, List.of(OrbitSchema.USER_BLACKLIST_SPEC, OrbitSchema.SYSTEM_STATE_SPEC))),
            // Numbered as the SQLite backend's migration of the same change.
            new Migration(10, "add conversation_threads.parent_owner_key (unique: one thread per parent message"
                    + " and key)",
                    c -> PgSchema.reconcile(c, List.of(OrbitSchema.CONVERSATION_THREADS_SPEC))),
            // Numbered as the SQLite backend's migration of the same change.
            new Migration(12, "add the token and cost budgets of api_keys (quota_daily_token_limit,"
                    + " quota_monthly_token_limit, quota_monthly_cost_limit)",
                    c -> PgSchema.reconcile(c, List.of(OrbitSchema.API_KEYS_SPEC))),
            // Numbered as the SQLite backend's migration of the same change.
            new Migration(13, "fewer index pages per chat turn: drop the chat_history indexes no query uses (by"
                    + " user, by API key, by time or key hash within a session), key sequence_key after the session"
                    + " and index chat_sessions by user only where there is one",
                    c -> {
                        List<CollectionSpec> specs = List.of(OrbitSchema.CHAT_HISTORY_SPEC,
                                OrbitSchema.CHAT_SESSIONS_SPEC);
                        PgSchema.dropRetiredIndexes(c, specs);
                        PgSchema.reconcile(c, specs);
                    }),
            // Numbered as the SQLite backend's migration of the same change.
            new Migration(14, "fewer index pages per chat turn (2): one unique index of a session's places"
                    + " (session_id, sequence) gives the order and the place, replacing the session_order and"
                    + " sequence_key indexes, and the message_hash index skips messages stored without an idempotency"
                    + " key", c -> {
                List<CollectionSpec> specs = List.of(OrbitSchema.CHAT_HISTORY_SPEC);
                PgSchema.dropRetiredIndexes(c, specs);
                PgSchema.reconcile(c, specs);
            }));

    static final int LATEST = ALL.getLast().version();

    private PgMigrations() {
    }

    /**
     * Applies the pending migrations, then creates or completes the tables of every collection of the schema
     * (collections added since, by tests, extensions or later code, derive their tables from their spec).
     * Returns the version found before.
     */
    static int migrate(Connection c, Schema schema, String location) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            PgSchema.execute(c, "SELECT pg_advisory_xact_lock(" + LOCK + ")");
            // Reference text without an offset means UTC, as on SQLite.
            PgSchema.execute(c, "SET LOCAL TimeZone = 'UTC'");
            PgSchema.execute(c, "CREATE TABLE IF NOT EXISTS " + TABLE + " (version integer PRIMARY KEY,"
                    + " description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
            int version = version(c);
            if (version > LATEST) {
                throw new SchemaVersionException(location + " has schema version " + version + ", but this ORBIT"
                        + " knows versions up to " + LATEST + ": upgrade ORBIT to open it");
            }
            for (Migration migration : ALL) {
                if (migration.version() > version) {
                    migration.step().apply(c);
                    try (PreparedStatement record = c.prepareStatement("INSERT INTO " + TABLE
                            + " (version, description) VALUES (?, ?)")) {
                        record.setInt(1, migration.version());
                        record.setString(2, migration.description());
                        record.executeUpdate();
                    }
                    LOG.info("{}: applied schema migration {} ({})", location, migration.version(),
                            migration.description());
                }
            }
            PgSchema.reconcile(c, schema.collections());
            c.commit();
            return version;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** The highest applied version, 0 for a database ORBIT has not migrated yet. */
    static int version(Connection c) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement("SELECT COALESCE(MAX(version), 0) FROM " + TABLE);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
