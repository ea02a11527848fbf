package dev.orbit.observability;

import dev.orbit.config.MonitoringConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code /metrics/json}: the reference dashboard's figures, computed from the same HTTP meters as {@code /metrics}
 * (nothing is counted twice on the request path). A sampler thread records the totals every
 * {@code collection_interval} seconds for {@code time_window} seconds; the current figures cover the last minute,
 * the time series one interval per point. A request with a status of 400 or more is an error, as in the reference.
 */
final class Dashboard implements AutoCloseable {
    private static final Duration RECENT = Duration.ofMinutes(1);
    private static final double[] QUANTILES = {0.5, 0.95, 0.99};

    /** Totals since start at one moment; bucket counts are cumulative, one per {@link Buckets#REQUEST} bound. */
    private record Sample(Instant at, long requests, long errors, double seconds, long[] buckets, double cpu,
                          double memoryPercent) {
    }

    private final MeterRegistry registry;
    private final ProcessStats process;
    private final MonitoringConfig config;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private final int maxSamples;
    private final Sample start;
    private final ScheduledExecutorService sampler;

    Dashboard(MeterRegistry registry, ProcessStats process, MonitoringConfig config) {
        this.registry = registry;
        this.process = process;
        this.config = config;
        this.maxSamples = config.timeWindowSeconds() / config.collectionIntervalSeconds() + 1;
        this.start = new Sample(Instant.now(), 0, 0, 0, new long[Buckets.REQUEST.length], 0, 0);
        this.sampler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("orbit-metrics-sampler")
                .factory());
        sampler.scheduleAtFixedRate(this::sample, config.collectionIntervalSeconds(), config.collectionIntervalSeconds(),
                TimeUnit.SECONDS);
    }

    private void sample() {
        Sample now = take();
        synchronized (samples) {
            samples.addLast(now);
            while (samples.size() > maxSamples) {
                samples.removeFirst();
            }
        }
    }

    private Sample take() {
        long requests = 0;
        long errors = 0;
        for (Counter counter : registry.find(HttpMetrics.REQUESTS).counters()) {
            long count = (long) counter.count();
            requests += count;
            if (Integer.parseInt(counter.getId().getTag("status")) >= 400) {
                errors += count;
            }
        }
        double seconds = 0;
        long[] buckets = new long[Buckets.REQUEST.length];
        for (Timer timer : registry.find(HttpMetrics.DURATION).timers()) {
            var snapshot = timer.takeSnapshot();
            seconds += snapshot.total(TimeUnit.SECONDS);
            CountAtBucket[] counts = snapshot.histogramCounts();
            for (int i = 0; i < Math.min(counts.length, buckets.length); i++) {
                buckets[i] += (long) counts[i].count();
            }
        }
        long total = process.totalMemoryBytes();
        return new Sample(Instant.now(), requests, errors, seconds, buckets, process.cpuPercent(),
                total == 0 ? 0 : 100.0 * process.residentBytes() / total);
    }

    /** The reply of {@code GET /metrics/json}. */
    Map<String, Object> json() {
        Sample now = take();
        List<Sample> history;
        synchronized (samples) {
            history = new ArrayList<>(samples);
        }
        Sample recent = history.stream().filter(s -> !s.at.isBefore(now.at.minus(RECENT))).findFirst()
                .orElse(history.isEmpty() ? start : history.getLast());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("system", system());
        json.put("requests", requests(recent, now));
        json.put("time_series", series(history));
        json.put("endpoint_stats", endpointStats());
        json.put("thresholds", Map.of("cpu", config.thresholds().cpu(), "memory", config.thresholds().memory(),
                "error_rate", config.thresholds().errorRate(), "response_time_ms", config.thresholds().responseTimeMs()));
        return json;
    }

    private Map<String, Object> system() {
        Duration uptime = process.uptime();
        long rss = process.residentBytes();
        long total = process.totalMemoryBytes();
        Map<String, Object> system = new LinkedHashMap<>();
        system.put("cpu_percent", round(process.cpuPercent(), 1));
        system.put("memory_gb", round(rss / (1024.0 * 1024 * 1024), 2));
        system.put("memory_percent", total == 0 ? 0.0 : round(100.0 * rss / total, 1));
        system.put("disk_usage_percent", round(process.diskUsagePercent(), 1));
        system.put("uptime", uptime(uptime));
        system.put("uptime_seconds", uptime.toMillis() / 1000.0);
        return system;
    }

    private Map<String, Object> requests(Sample from, Sample to) {
        Map<String, Object> requests = new LinkedHashMap<>();
        long count = to.requests - from.requests;
        double elapsed = Math.max(1, Duration.between(from.at, to.at).toMillis() / 1000.0);
        requests.put("total", to.requests);
        requests.put("per_second", Math.round(count / elapsed));
        requests.put("error_rate", count == 0 ? 0.0 : round(100.0 * (to.errors - from.errors) / count, 2));
        requests.put("avg_response_time", count == 0 ? 0.0 : round((to.seconds - from.seconds) / count * 1000, 2));
        double[] percentiles = percentiles(from, to);
        requests.put("p50_response_time", round(percentiles[0], 2));
        requests.put("p95_response_time", round(percentiles[1], 2));
        requests.put("p99_response_time", round(percentiles[2], 2));
        return requests;
    }

    private Map<String, Object> series(List<Sample> history) {
        List<Double> cpu = new ArrayList<>();
        List<Double> memory = new ArrayList<>();
        List<Double> rate = new ArrayList<>();
        List<Double> errors = new ArrayList<>();
        List<Double> response = new ArrayList<>();
        List<List<Double>> quantiles = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<String> timestamps = new ArrayList<>();
        Sample previous = start;
        for (Sample sample : history) {
            long count = sample.requests - previous.requests;
            double elapsed = Math.max(0.001, Duration.between(previous.at, sample.at).toMillis() / 1000.0);
            cpu.add(round(sample.cpu, 1));
            memory.add(round(sample.memoryPercent, 1));
            rate.add(round(count / elapsed, 2));
            errors.add(count == 0 ? 0.0 : round(100.0 * (sample.errors - previous.errors) / count, 2));
            response.add(count == 0 ? 0.0 : round((sample.seconds - previous.seconds) / count * 1000, 2));
            double[] percentiles = percentiles(previous, sample);
            for (int i = 0; i < QUANTILES.length; i++) {
                quantiles.get(i).add(round(percentiles[i], 2));
            }
            timestamps.add(sample.at.toString());
            previous = sample;
        }
        Map<String, Object> series = new LinkedHashMap<>();
        series.put("cpu", cpu);
        series.put("memory", memory);
        series.put("requests_per_second", rate);
        series.put("error_rate", errors);
        series.put("response_time", response);
        series.put("response_time_p50", quantiles.get(0));
        series.put("response_time_p95", quantiles.get(1));
        series.put("response_time_p99", quantiles.get(2));
        series.put("timestamps", timestamps);
        return series;
    }

    private List<Map<String, Object>> endpointStats() {
        record Route(String endpoint, String method) {
        }
        Map<Route, long[]> counts = new LinkedHashMap<>(); // total, errors
        for (Counter counter : registry.find(HttpMetrics.REQUESTS).counters()) {
            long[] c = counts.computeIfAbsent(new Route(counter.getId().getTag("endpoint"),
                    counter.getId().getTag("method")), r -> new long[2]);
            c[0] += (long) counter.count();
            if (Integer.parseInt(counter.getId().getTag("status")) >= 400) {
                c[1] += (long) counter.count();
            }
        }
        Map<Route, Double> meanMs = new LinkedHashMap<>();
        for (Timer timer : registry.find(HttpMetrics.DURATION).timers()) {
            meanMs.put(new Route(timer.getId().getTag("endpoint"), timer.getId().getTag("method")),
                    timer.mean(TimeUnit.MILLISECONDS));
        }
        List<Map<String, Object>> stats = new ArrayList<>();
        counts.entrySet().stream().sorted(Comparator.comparingLong(e -> -e.getValue()[0])).forEach(e -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("endpoint", e.getKey().endpoint());
            row.put("method", e.getKey().method());
            row.put("total_requests", e.getValue()[0]);
            row.put("avg_latency_ms", round(meanMs.getOrDefault(e.getKey(), 0.0), 2));
            row.put("error_rate", e.getValue()[0] == 0 ? 0.0 : round(100.0 * e.getValue()[1] / e.getValue()[0], 2));
            stats.add(row);
        });
        return stats;
    }

    /** p50, p95 and p99 in milliseconds of the requests between two samples, interpolated within buckets. */
    private static double[] percentiles(Sample from, Sample to) {
        double[] out = new double[QUANTILES.length];
        long total = to.requests - from.requests;
        if (total <= 0) {
            return out;
        }
        for (int q = 0; q < QUANTILES.length; q++) {
            double rank = QUANTILES[q] * total;
            double lower = 0;
            long below = 0;
            out[q] = Buckets.REQUEST[Buckets.REQUEST.length - 1].toNanos() / 1e6; // beyond the last bound
            for (int i = 0; i < Buckets.REQUEST.length; i++) {
                long cumulative = to.buckets[i] - from.buckets[i];
                double upper = Buckets.REQUEST[i].toNanos() / 1e6;
                if (cumulative >= rank) {
                    long inBucket = cumulative - below;
                    out[q] = inBucket == 0 ? upper : lower + (upper - lower) * (rank - below) / inBucket;
                    break;
                }
                below = cumulative;
                lower = upper;
            }
        }
        return out;
    }

    private static String uptime(Duration uptime) {
        List<String> parts = new ArrayList<>();
        if (uptime.toDays() > 0) {
            parts.add(uptime.toDays() + "d");
        }
        if (uptime.toHoursPart() > 0) {
            parts.add(uptime.toHoursPart() + "h");
        }
        if (uptime.toMinutesPart() > 0) {
            parts.add(uptime.toMinutesPart() + "m");
        }
        return parts.isEmpty() ? "< 1m" : String.join(" ", parts);
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
