package dev.orbit.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code orbit_db_operation_duration_seconds{backend,operation,collection}} and
 * {@code orbit_db_operation_errors_total{...}}: the meters of one backend's operations, registered once per
 * collection and operation. Only the schema's collection names become labels (anything else is {@code other}),
 * so a hostile name cannot grow the registry.
 */
final class DatabaseMeters {
    /** The operations timed, as their labels say. */
    enum Operation {
        FIND_ONE, FIND_MANY, INSERT_ONE, INSERT_MANY, UPDATE_ONE, UPDATE_MANY, DELETE_ONE, DELETE_MANY, COUNT, SCAN,
        TRANSACTION, CREATE_INDEX;

        final String label = name().toLowerCase(Locale.ROOT);
    }

    private static final String OTHER = "other";

    private record Pair(Timer timer, Counter errors) {
    }

    private final MeterRegistry registry;
    private final String backend;
    // Each schema collection's meters by operation, and those of any other name: a single lookup per operation, the
    // meters registered on first use (so /metrics lists only operations that ran). Two threads racing to fill a slot
    // get the same meters from the registry.
    private final Map<String, Pair[]> meters;
    private final Pair[] other;

    DatabaseMeters(MeterRegistry registry, String backend, Set<String> collections) {
        this.registry = registry;
        this.backend = backend;
        Map<String, Pair[]> byCollection = new HashMap<>();
        for (String collection : collections) {
            byCollection.put(collection, new Pair[Operation.values().length]);
        }
        this.other = byCollection.computeIfAbsent(OTHER, name -> new Pair[Operation.values().length]);
        this.meters = Map.copyOf(byCollection);
    }

    /** Runs the operation, recording its duration, and counting it as an error when it throws. */
    <T> T time(Operation operation, String collection, Supplier<T> work) {
        Pair pair = pair(operation, collection);
        long start = System.nanoTime();
        try {
            return work.get();
        } catch (RuntimeException | Error e) {
            pair.errors.increment();
            throw e;
        } finally {
            pair.timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private Pair pair(Operation operation, String collection) {
        Pair[] byOperation = collection == null ? other : meters.getOrDefault(collection, other);
        Pair pair = byOperation[operation.ordinal()];
        if (pair == null) {
            String label = byOperation == other ? OTHER : collection;
            pair = new Pair(Timer.builder("orbit.db.operation.duration")
                    .description("database operations, by backend, operation and collection")
                    .tags("backend", backend, "operation", operation.label, "collection", label)
                    .serviceLevelObjectives(Buckets.DATABASE)
                    .register(registry),
                    Counter.builder("orbit.db.operation.errors")
                            .description("database operations that failed")
                            .tags("backend", backend, "operation", operation.label, "collection", label)
                            .register(registry));
            byOperation[operation.ordinal()] = pair;
        }
        return pair;
    }
}
