package dev.orbit.db.postgres;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.DatabaseException;
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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL has no TTL indexes: this deletes expired rows of every TTL index once a minute (as often as
 * MongoDB's TTL monitor), in bounded batches. Every gateway on the database sweeps; a delete of rows another
 * already deleted simply finds none.
 */
final class PgTtlSweeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PgTtlSweeper.class);
    private static final int BATCH = 1000;
    private static final long PERIOD_SECONDS = 60;
    static final String TABLE = "orbit_ttl_indexes";

    /** Runs a deletion on a pooled connection and returns how many rows it deleted. */
    @FunctionalInterface
    interface Writer {
        long write(String collection, PgWork<Long> work);
    }

    private record Target(PgTable table, IndexSpec index) {
    }

    private final Writer writer;
    private final List<Target> targets = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;

    PgTtlSweeper(Writer writer) {
        this.writer = writer;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("orbit-pg-ttl")
                .factory());
        timer.scheduleWithFixedDelay(this::sweepLogged, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    void register(PgTable table, IndexSpec index) {
        Target target = new Target(table, index);
        if (!targets.contains(target)) {
            targets.add(target);
        }
    }

    /** Registers the schema's TTL indexes and those created at run time by earlier processes. */
    void registerAll(Schema schema, java.util.Map<String, PgTable> tables, Connection c) throws SQLException {
        for (CollectionSpec spec : schema.collections()) {
            spec.indexes().stream().filter(IndexSpec::isTtl).forEach(index -> register(tables.get(spec.name()), index));
        }
        try (PreparedStatement statement = c.prepareStatement("SELECT index_name, collection, field, ttl_ms FROM "
                + TABLE); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                if (!schema.contains(rows.getString(2))) {
                    continue;
                }
                try {
                    IndexSpec index = IndexSpec.ttl(rows.getString(1), rows.getString(3),
                            Duration.ofMillis(rows.getLong(4)));
                    schema.collection(rows.getString(2)).checkIndex(index);
                    register(tables.get(rows.getString(2)), index);
                } catch (InvalidQueryException e) {
                    LOG.warn("ignoring remembered TTL index {}: {}", rows.getString(1), e.getMessage());
                }
            }
        }
    }

    /** Records a TTL index created at run time, so every gateway (also later ones) sweeps it. */
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

    static void createTable(Connection c) throws SQLException {
        PgSchema.execute(c, "CREATE TABLE IF NOT EXISTS " + TABLE + " (index_name text PRIMARY KEY,"
                + " collection text NOT NULL, field text NOT NULL, ttl_ms bigint NOT NULL)");
    }

    /** Deletes every expired row now; returns how many. */
    long sweep() {
        long deleted = 0;
        for (Target target : targets) {
            Instant bound = Instant.now().minus(target.index().ttl());
            FieldSpec field = target.table().spec().field(target.index().fields().getFirst());
            long batch;
            do {
                batch = writer.write(target.table().name(),
                        c -> PgOperations.deleteBefore(c, target.table(), field, bound, BATCH));
                deleted += batch;
            } while (batch == BATCH);
        }
        return deleted;
    }

    private void sweepLogged() {
        try {
            long deleted = sweep();
            if (deleted > 0) {
                LOG.debug("TTL sweep deleted {} expired rows", deleted);
            }
        } catch (DatabaseException e) {
            LOG.warn("TTL sweep failed (will retry in {} s): {}", PERIOD_SECONDS, e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
