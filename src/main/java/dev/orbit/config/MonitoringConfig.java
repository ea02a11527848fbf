package dev.orbit.config;

import java.util.Optional;

/**
 * The {@code monitoring} section: the reference's keys ({@code enabled}, {@code metrics.prometheus.enabled},
 * {@code metrics.time_window}, {@code metrics.collection_interval}, {@code alerts.*}) and who may read the
 * metrics, which the reference leaves open to anyone ({@code metrics.token}, {@code metrics.public}).
 *
 * @param enabled            meters are kept at all; off, {@code /metrics} and {@code /metrics/json} answer 503
 * @param prometheusEnabled  {@code /metrics} answers (503 otherwise)
 * @param scrapeToken        a bearer token a scraper may send instead of a user's session token
 * @param open               {@code /metrics} answers without any credential (an explicit choice for private networks)
 * @param timeWindowSeconds  how far back the time series of {@code /metrics/json} go
 * @param collectionIntervalSeconds how often those series take a sample
 * @param thresholds         the {@code alerts} thresholds {@code /metrics/json} reports
 */
public record MonitoringConfig(boolean enabled, boolean prometheusEnabled, Optional<Secret> scrapeToken, boolean open,
                               int timeWindowSeconds, int collectionIntervalSeconds, Thresholds thresholds) {
    /** Shortest scrape token accepted: a guessable one would open the metrics to anyone. */
    static final int MIN_TOKEN_LENGTH = 16;

    /** Alert thresholds: CPU and memory in percent, error rate in percent, response time in milliseconds. */
    public record Thresholds(int cpu, int memory, int errorRate, int responseTimeMs) {
    }

    /** What an empty configuration means. */
    public static MonitoringConfig defaults() {
        return read(ConfigNode.root("defaults", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()));
    }

    /** These settings with monitoring off. */
    public MonitoringConfig disabled() {
        return new MonitoringConfig(false, prometheusEnabled, scrapeToken, open, timeWindowSeconds,
                collectionIntervalSeconds, thresholds);
    }

    /** Reads and checks {@code monitoring} of the root. */
    public static MonitoringConfig read(ConfigNode root) {
        ConfigNode monitoring = root.section("monitoring");
        ConfigNode metrics = monitoring.section("metrics");
        ConfigNode alerts = monitoring.section("alerts");
        Optional<Secret> token = metrics.string("token").filter(t -> !t.isBlank()).map(String::strip).map(Secret::new);
        if (token.isPresent() && token.get().value().length() < MIN_TOKEN_LENGTH) {
            throw metrics.error("token", "must be at least " + MIN_TOKEN_LENGTH + " characters (e.g. openssl rand -hex 32)");
        }
        return new MonitoringConfig(
                monitoring.bool("enabled", true),
                metrics.section("prometheus").bool("enabled", true),
                token,
                metrics.bool("public", false),
                metrics.integer("time_window", 300, 10, 86_400),
                metrics.integer("collection_interval", 5, 1, 3_600),
                new Thresholds(alerts.integer("cpu_threshold", 90, 0, 100),
                        alerts.integer("memory_threshold", 85, 0, 100),
                        alerts.integer("error_rate_threshold", 5, 0, 100),
                        alerts.integer("response_time_threshold", 5000, 0, 3_600_000)));
    }
}
