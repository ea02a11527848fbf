package dev.orbit.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The contract's HTTP meters: {@code orbit_http_requests_total{method,endpoint,status}},
 * {@code orbit_http_request_duration_seconds{method,endpoint}} (a histogram) and
 * {@code orbit_http_requests_in_progress}. {@code endpoint} is the route template ({@code /admin/api-keys/{key}}),
 * never the path a client sent, so clients cannot grow the registry; requests no route matched share one.
 */
public final class HttpMetrics {
    static final String REQUESTS = "orbit.http.requests";
    static final String DURATION = "orbit.http.request.duration";
    /** The {@code endpoint} of requests that matched no route (404s, probes). */
    public static final String UNMATCHED = "unmatched";

    private record RouteKey(String method, String endpoint) {
    }

    private record StatusKey(String method, String endpoint, int status) {
    }

    private final MeterRegistry registry;
    private final AtomicInteger inProgress = new AtomicInteger();
    private final Map<RouteKey, Timer> timers = new ConcurrentHashMap<>();
    private final Map<StatusKey, Counter> counters = new ConcurrentHashMap<>();

    HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("orbit.http.requests.in.progress", inProgress, AtomicInteger::get)
                .description("HTTP requests being served now").register(registry);
    }

    /** A request has begun. */
    public void started() {
        inProgress.incrementAndGet();
    }

    /** A request that {@link #started} has been answered. */
    public void finished(String method, String endpoint, int status, long nanos) {
        inProgress.decrementAndGet();
        timers.computeIfAbsent(new RouteKey(method, endpoint), key -> Timer.builder(DURATION)
                        .description("HTTP request latency, by method and route template")
                        .tags("method", key.method, "endpoint", key.endpoint)
                        .serviceLevelObjectives(Buckets.REQUEST)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
        counters.computeIfAbsent(new StatusKey(method, endpoint, status), key -> Counter.builder(REQUESTS)
                        .description("HTTP requests answered, by method, route template and status")
                        .tags("method", key.method, "endpoint", key.endpoint, "status", String.valueOf(key.status))
                        .register(registry))
                .increment();
    }
}
