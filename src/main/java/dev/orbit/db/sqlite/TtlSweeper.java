package dev.orbit.db.sqlite;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.DatabaseException;
import dev.orbit.db.IndexSpec;
import dev.orbit.db.Schema;
import dev.orbit.db.InvalidQueryException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQLite has no TTL indexes, so this deletes expired rows of every TTL index once a minute (as often as
 * MongoDB's TTL monitor), in bounded batches through the normal writer so writers are never starved.
 */
final class TtlSweeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TtlSweeper.class);
    private static final int BATCH = 1000;
    /** As often as MongoDB's TTL monitor. */
    static final Duration PERIOD = Duration.ofSeconds(60);
    static final String TABLE = "orbit_ttl_indexes";

    private record Target(CollectionSpec spec, IndexSpec index) {
    }

    private final SqliteDocumentStore store;
    private final List<Target> targets = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private final Duration period;
    private final ScheduledExecutorService timer;

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
        this.store = store;
        this.clock = clock;
        this.period = period;
        for (CollectionSpec spec : schema.collections()) {
            spec.indexes().stream().filter(IndexSpec::isTtl).forEach(index -> register(spec, index));
        }
        for (Map.Entry<String, IndexSpec> entry : remembered) {
            if (schema.contains(entry.getKey())) {
                CollectionSpec spec = schema.collection(entry.getKey());
                try {
                    spec.checkIndex(entry.getValue());
                    register(spec, entry.getValue());
                } catch (InvalidQueryException e) {
                    LOG.warn("ignoring remembered TTL index: {}", e.getMessage());
                }
            }
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("orbit-ttl").factory());
        timer.scheduleWithFixedDelay(this::sweepLogged, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    void register(CollectionSpec spec, IndexSpec index) {
        Target target = new Target(spec, index);
        if (!targets.contains(target)) {
            targets.add(target);
        }
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

    /** Deletes every expired row now; returns how many. */
    long sweep() {
        long deleted = 0;
        for (Target target : targets) {
            Instant bound = clock.instant().minus(target.index().ttl());
            var field = target.spec().field(target.index().fields().getFirst());
            SqliteTable table = store.table(target.spec().name());
            long batch;
            do {
                batch = store.write("ttl-sweep", table.name(),
                        c -> SqlOperations.deleteBefore(c, table, field, bound, BATCH));
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
            LOG.warn("TTL sweep failed (will retry in {}): {}", period, e.getMessage());
        } catch (RuntimeException e) {
            // Not the database's doing, so logged in full; but any exception escaping a scheduled task cancels
            // every later run, and expired sessions would then never be deleted again.
            LOG.error("TTL sweep failed (will retry in {})", period, e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
