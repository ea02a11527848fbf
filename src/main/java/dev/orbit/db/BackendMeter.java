package dev.orbit.db;

import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * A number a backend reports about itself (its connection pool, its writer), read when the metrics are scraped.
 * The layer names what to measure; the metrics layer decides how it is exposed, so no backend depends on it.
 *
 * @param name        a Prometheus-style name without the {@code orbit_} prefix, e.g. {@code db_pool_connections_active}
 * @param description one line for the metric's help text
 * @param kind        a gauge (may go up and down) or a monotonic counter
 * @param tags        label names and values
 * @param value       read at scrape time; must be cheap and never block
 */
public record BackendMeter(String name, String description, Kind kind, Map<String, String> tags, DoubleSupplier value) {
    /** How the value behaves over time. */
    public enum Kind { GAUGE, COUNTER }

    public BackendMeter {
        tags = Map.copyOf(tags);
    }

    public static BackendMeter gauge(String name, String description, DoubleSupplier value) {
        return new BackendMeter(name, description, Kind.GAUGE, Map.of(), value);
    }

    /** A connection pool's {@code db_pool_connections_active}, {@code _idle} and {@code _max}, labelled by pool name. */
    public static List<BackendMeter> pool(String pool, DoubleSupplier active, DoubleSupplier idle, DoubleSupplier max) {
        Map<String, String> tags = Map.of("pool", pool);
        return List.of(
                new BackendMeter("db_pool_connections_active", "connections lent out now", Kind.GAUGE, tags, active),
                new BackendMeter("db_pool_connections_idle", "connections open and idle now", Kind.GAUGE, tags, idle),
                new BackendMeter("db_pool_connections_max", "the most connections the pool opens", Kind.GAUGE, tags,
                        max));
    }

    public static BackendMeter counter(String name, String description, DoubleSupplier value) {
        return new BackendMeter(name, description, Kind.COUNTER, Map.of(), value);
    }
}
