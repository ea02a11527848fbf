package dev.orbit.db;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TTL indexes for backends that have none (the SQL ones): deletes the expired documents of every registered
 * TTL index once a minute (as often as MongoDB's TTL monitor), in bounded batches so writers are never
 * starved. A backend says only how to delete one batch.
 */
public abstract class ExpirySweeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExpirySweeper.class);
    private static final int BATCH = 1000;
    private static final long PERIOD_SECONDS = 60;

    private record Target(CollectionSpec spec, IndexSpec index) {
    }

    private final List<Target> targets = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;

    protected ExpirySweeper(String threadName) {
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name(threadName).factory());
        timer.scheduleWithFixedDelay(this::sweepLogged, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Deletes at most {@code batch} documents of the collection whose instant {@code field} lies before
     * {@code bound}; returns how many.
     */
    protected abstract long deleteExpired(CollectionSpec spec, FieldSpec field, Instant bound, int batch);

    /** Sweeps this index from now on (once, however often it is registered). */
    public void register(CollectionSpec spec, IndexSpec index) {
        Target target = new Target(spec, index);
        if (!targets.contains(target)) {
            targets.add(target);
        }
    }

    /** Registers every TTL index the schema declares. */
    protected void registerDeclared(Schema schema) {
        for (CollectionSpec spec : schema.collections()) {
            spec.indexes().stream().filter(IndexSpec::isTtl).forEach(index -> register(spec, index));
        }
    }

    /**
     * Registers TTL indexes created at run time by earlier processes (which the backend recorded, as its own
     * indexes know nothing of expiry), by collection; those of collections or fields this schema lacks are
     * ignored.
     */
    protected void registerRemembered(Schema schema, List<Map.Entry<String, IndexSpec>> remembered) {
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
    }

    /** Deletes every expired document now; returns how many. */
    public long sweep() {
        long deleted = 0;
        for (Target target : targets) {
            Instant bound = Instant.now().minus(target.index().ttl());
            FieldSpec field = target.spec().field(target.index().fields().getFirst());
            long batch;
            do {
                batch = deleteExpired(target.spec(), field, bound, BATCH);
                deleted += batch;
            } while (batch == BATCH);
        }
        return deleted;
    }

    private void sweepLogged() {
        try {
            long deleted = sweep();
            if (deleted > 0) {
                LOG.debug("TTL sweep deleted {} expired documents", deleted);
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
