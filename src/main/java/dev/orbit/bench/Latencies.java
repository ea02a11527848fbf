package dev.orbit.bench;

import java.util.Arrays;

/** Recorded durations of one kind of operation, summarised as throughput and percentiles. */
final class Latencies {
    private final long[] nanos;
    private int count;

    Latencies(int capacity) {
        this.nanos = new long[capacity];
    }

    void record(long elapsedNanos) {
        nanos[count++] = elapsedNanos;
    }

    /** The p-th percentile (0..100) in microseconds. */
    double percentileMicros(double p) {
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * count) - 1;
        return sorted[Math.max(0, Math.min(count - 1, index))] / 1_000.0;
    }

    /** Operations per second if they ran back to back (single-threaded reads). */
    double perSecond() {
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += nanos[i];
        }
        return count / (total / 1e9);
    }
}
