package dev.orbit.db.sqlite;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.ExpirySweeper;
import dev.orbit.db.FieldSpec;
import dev.orbit.db.IndexSpec;
import dev.orbit.db.InvalidQueryException;
import dev.orbit.db.Schema;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQLite has no TTL indexes: the {@link ExpirySweeper} deletes expired rows through the normal writer, and
 * TTL indexes created at run time are recorded in {@link #TABLE} so the next process sweeps them too.
 */
final class TtlSweeper extends ExpirySweeper {
    private static final Logger LOG = LoggerFactory.getLogger(TtlSweeper.class);
    static final String TABLE = "orbit_ttl_indexes";

    private final SqliteDocumentStore store;

    /**
     * @param remembered TTL indexes created at run time by earlier processes ({@link #remember}), by
     *                   collection; those of collections or fields this schema lacks are ignored
     */
    TtlSweeper(SqliteDocumentStore store, Schema schema, List<Map.Entry<String, IndexSpec>> remembered) {
        this(store, schema, remembered, Clock.systemUTC(), PERIOD);
    }

    /** As above, with the clock that decides expiry and the time between sweeps (tests shorten it). */
    TtlSweeper(SqliteDocumentStore store, Schema schema, List<Map.Entry<String, IndexSpec>> remembered,
               Clock clock, Duration period) {
        super("orbit-ttl", clock, period);
        this.store = store;
        registerDeclared(schema);
        registerRemembered(schema, remembered);
        start();
    }

    @Override
    protected long deleteExpired(CollectionSpec spec, FieldSpec field, Instant bound, int batch) {
        SqliteTable table = store.table(spec.name());
        return store.write("ttl-sweep", table.name(), c -> SqlOperations.deleteBefore(c, table, field, bound, batch));
    }

    /**
     * Records a TTL index created at run time, so the next process sweeps it too: SQLite's own index
     * knows nothing of expiry. Runs inside the createIndex write.
     */
    static void remember(SqlConnection c, CollectionSpec spec, IndexSpec index) throws SQLException {
        PreparedStatement insert = c.prepare("INSERT OR REPLACE INTO " + TABLE
                + " (index_name, collection, field, ttl_ms) VALUES (?, ?, ?, ?)");
        insert.setString(1, index.name());
        insert.setString(2, spec.name());
        insert.setString(3, index.fields().getFirst());
        insert.setLong(4, index.ttl().toMillis());
        insert.executeUpdate();
    }

    /** The TTL indexes recorded by {@link #remember}, as (collection, index). */
    static List<Map.Entry<String, IndexSpec>> remembered(SqlConnection c) throws SQLException {
        List<Map.Entry<String, IndexSpec>> out = new ArrayList<>();
        try (ResultSet rows = c.prepare("SELECT index_name, collection, field, ttl_ms FROM " + TABLE).executeQuery()) {
            while (rows.next()) {
                try {
                    out.add(Map.entry(rows.getString(2),
                            IndexSpec.ttl(rows.getString(1), rows.getString(3), Duration.ofMillis(rows.getLong(4)))));
                } catch (InvalidQueryException e) {
                    LOG.warn("ignoring remembered TTL index {}: {}", rows.getString(1), e.getMessage());
                }
            }
        }
        return out;
    }

    /** Creates the table of remembered TTL indexes (part of schema migration 1). */
    static void createTable(SqlConnection c) throws SQLException {
        c.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (index_name TEXT PRIMARY KEY, collection TEXT NOT NULL,"
                + " field TEXT NOT NULL, ttl_ms INTEGER NOT NULL)");
    }
}
