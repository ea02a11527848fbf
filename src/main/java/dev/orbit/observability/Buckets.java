package dev.orbit.observability;

import java.time.Duration;

/** Histogram bucket bounds: explicit ones, so a scrape stays small and every series has the same buckets. */
final class Buckets {
    /** HTTP requests and provider calls: 5 ms to a minute (Prometheus's client defaults, widened for LLM replies). */
    static final Duration[] REQUEST = durations(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000,
            60_000);
    /** Database operations: 0.1 ms to 5 s. */
    static final Duration[] DATABASE = {Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
            Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(1_000), Duration.ofMillis(5_000)};

    private Buckets() {
    }

    private static Duration[] durations(long... millis) {
        Duration[] out = new Duration[millis.length];
        for (int i = 0; i < millis.length; i++) {
            out[i] = Duration.ofMillis(millis[i]);
        }
        return out;
    }
}
