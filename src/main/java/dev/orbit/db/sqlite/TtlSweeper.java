package dev.orbit.db.sqlite;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.DatabaseException;
import dev.orbit.db.IndexSpec;
import dev.orbit.db.Schema;
import java.time.Instant;
import java.util.List;
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
    private static final long PERIOD_SECONDS = 60;

    private record Target(CollectionSpec spec, IndexSpec index) {
    }

    private final SqliteDocumentStore store;
    private final List<Target> targets = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;

    TtlSweeper(SqliteDocumentStore store, Schema schema) {
        this.store = store;
        for (CollectionSpec spec : schema.collections()) {
            spec.indexes().stream().filter(IndexSpec::isTtl).forEach(index -> register(spec, index));
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("orbit-ttl").factory());
        timer.scheduleWithFixedDelay(this::sweepLogged, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    void register(CollectionSpec spec, IndexSpec index) {
        Target target = new Target(spec, index);
        if (!targets.contains(target)) {
            targets.add(target);
        }
    }

    /** Deletes every expired row now; returns how many. */
    long sweep() {
        long deleted = 0;
        for (Target target : targets) {
            Instant bound = Instant.now().minus(target.index().ttl());
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
            LOG.warn("TTL sweep failed (will retry in {} s): {}", PERIOD_SECONDS, e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
