package dev.orbit.db.postgres;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.ExpirySweeper;
import dev.orbit.db.FieldSpec;
import dev.orbit.db.IndexSpec;
import dev.orbit.db.InvalidQueryException;
import dev.orbit.db.Schema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL has no TTL indexes: the {@link ExpirySweeper} deletes expired rows on pooled connections, and TTL
 * indexes created at run time are recorded in {@link #TABLE} so every gateway (also later ones) sweeps them.
 * Every gateway on the database sweeps; a delete of rows another already deleted simply finds none.
 */
final class PgTtlSweeper extends ExpirySweeper {
    private static final Logger LOG = LoggerFactory.getLogger(PgTtlSweeper.class);
    static final String TABLE = "orbit_ttl_indexes";

    private final PostgresDocumentStore store;

    PgTtlSweeper(PostgresDocumentStore store, Schema schema, Connection c) throws SQLException {
        super("orbit-pg-ttl");
        this.store = store;
        registerDeclared(schema);
        registerRemembered(schema, remembered(c));
        start();
    }

    @Override
    protected long deleteExpired(CollectionSpec spec, FieldSpec field, Instant bound, int batch) {
        PgTable table = store.table(spec.name());
        return store.write("ttl-sweep", spec.name(), false,
                c -> PgOperations.deleteBefore(c, table, field, bound, batch));
    }

    /** Records a TTL index created at run time. Runs inside the createIndex transaction. */
    static void remember(Connection c, CollectionSpec spec, IndexSpec index) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + TABLE
                + " (index_name, collection, field, ttl_ms) VALUES (?, ?, ?, ?) ON CONFLICT (index_name)"
                + " DO UPDATE SET collection = EXCLUDED.collection, field = EXCLUDED.field, ttl_ms = EXCLUDED.ttl_ms")) {
            insert.setString(1, index.name());
            insert.setString(2, spec.name());
            insert.setString(3, index.fields().getFirst());
            insert.setLong(4, index.ttl().toMillis());
            insert.executeUpdate();
        }
    }

    private static List<Map.Entry<String, IndexSpec>> remembered(Connection c) throws SQLException {
        List<Map.Entry<String, IndexSpec>> out = new ArrayList<>();
        try (PreparedStatement statement = c.prepareStatement("SELECT index_name, collection, field, ttl_ms FROM "
                + TABLE); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                try {
                    out.add(Map.entry(rows.getString(2), IndexSpec.ttl(rows.getString(1), rows.getString(3),
                            Duration.ofMillis(rows.getLong(4)))));
                } catch (InvalidQueryException e) {
                    LOG.warn("ignoring remembered TTL index {}: {}", rows.getString(1), e.getMessage());
                }
            }
        }
        return out;
    }

    static void createTable(Connection c) throws SQLException {
        PgSchema.execute(c, "CREATE TABLE IF NOT EXISTS " + TABLE + " (index_name text PRIMARY KEY,"
                + " collection text NOT NULL, field text NOT NULL, ttl_ms bigint NOT NULL)");
    }
}
