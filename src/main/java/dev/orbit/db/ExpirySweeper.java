package dev.orbit.db;

import java.time.Clock;
import java.time.Duration;
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
    /** As often as MongoDB's TTL monitor. */
    public static final Duration PERIOD = Duration.ofSeconds(60);

    private record Target(CollectionSpec spec, IndexSpec index) {
    }

    private final List<Target> targets = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private final Duration period;
    private final ScheduledExecutorService timer;

    protected ExpirySweeper(String threadName) {
        this(threadName, Clock.systemUTC(), PERIOD);
    }

    /** As above, with the clock that decides expiry and the time between sweeps (tests shorten it). */
    protected ExpirySweeper(String threadName, Clock clock, Duration period) {
        this.clock = clock;
        this.period = period;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name(threadName).factory());
    }

    /**
     * Starts the sweeps; a subclass calls it last in its constructor, so no sweep sees its fields unset (the
     * executor makes its thread only now, so a constructor that throws before leaves none behind).
     */
    protected final void start() {
        timer.scheduleWithFixedDelay(this::sweepLogged, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
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
            Instant bound = clock.instant().minus(target.index().ttl());
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
