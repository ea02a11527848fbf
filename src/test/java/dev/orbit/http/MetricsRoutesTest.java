package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsRoutesTest extends GatewayTestBase {
    private static final String SCRAPE_TOKEN = "scrape-token-0123456789abcdef";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static Map<String, Object> ask(String text) {
        return Map.of("messages", List.of(Map.of("role", "user", "content", text)));
    }

    /**
     * A request is counted when its reply has been written, so the client may see the reply a moment before the
     * count: scrape until the expected count shows (the deadline only bounds a failure), then compare exactly.
     */
    private PrometheusText scrapeUntil(String token, String name, Map<String, String> labels, double expected) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Reply reply = orbit().get("/metrics").bearer(token).send();
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            PrometheusText scrape = PrometheusText.parse(reply.body());
            if (scrape.sum(name, labels) >= expected || System.nanoTime() > deadline) {
                return scrape;
            }
        }
    }

    @Test
    void aScrapeCountsEveryRequestByRouteTemplateMethodAndStatusWithItsLatencyHistogram() {
        Orbit orbit = orbit("");
        String admin = orbit.adminToken();
        String key = orbit.createKey(Orbit.ADAPTER);
        for (int i = 0; i < 7; i++) {
            assertThat(orbit.get("/health").send().status()).isEqualTo(200);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(orbit.post("/v1/chat").apiKey(key).session("s-" + i).json(ask("hello " + i)).send().status())
                    .isEqualTo(200);
        }
        assertThat(orbit.get("/admin/api-keys/" + key + "/status").bearer(admin).send().status()).isEqualTo(200);
        assertThat(orbit.get("/no/such/route/" + key).send().status()).isEqualTo(404);

        PrometheusText scrape = scrapeUntil(admin, "orbit_http_requests_total",
                Map.of("endpoint", dev.orbit.observability.HttpMetrics.UNMATCHED), 1);
        scrape = scrapeUntil(admin, "orbit_http_requests_total", Map.of("endpoint", "/v1/chat"), 3);

        assertThat(scrape.sum("orbit_http_requests_total", Map.of("method", "GET", "endpoint", "/health",
                "status", "200"))).isEqualTo(7);
        assertThat(scrape.sum("orbit_http_requests_total", Map.of("method", "POST", "endpoint", "/v1/chat",
                "status", "200"))).isEqualTo(3);
        assertThat(scrape.sum("orbit_http_requests_total", Map.of("endpoint", dev.orbit.observability.HttpMetrics.UNMATCHED,
                "status", "404"))).isEqualTo(1);
        // The route template, never the key in the path.
        assertThat(scrape.sum("orbit_http_requests_total", Map.of("method", "GET",
                "endpoint", "/admin/api-keys/{key}/status"))).isEqualTo(1);
        assertThat(scrape.samples()).noneMatch(s -> s.labels().values().stream().anyMatch(v -> v.contains(key)));

        // The histogram: cumulative buckets ending in +Inf, which equals the count.
        Map<String, String> health = Map.of("method", "GET", "endpoint", "/health");
        assertThat(scrape.types()).containsEntry("orbit_http_request_duration_seconds", "histogram");
        assertThat(scrape.sum("orbit_http_request_duration_seconds_count", health)).isEqualTo(7);
        List<PrometheusText.Sample> buckets = scrape.find("orbit_http_request_duration_seconds_bucket", health);
        assertThat(buckets).hasSizeGreaterThan(5);
        assertThat(buckets).isSortedAccordingTo((a, b) -> Double.compare(a.value(), b.value()));
        assertThat(buckets.getLast().labels()).containsEntry("le", "+Inf");
        assertThat(buckets.getLast().value()).isEqualTo(7);
        assertThat(scrape.sum("orbit_http_request_duration_seconds_sum", health)).isPositive();
        assertThat(scrape.sum("orbit_http_requests_in_progress", Map.of())).isEqualTo(1); // this scrape

        // Chat turns, tokens and the provider calls behind them.
        Map<String, String> adapter = Map.of("adapter", Orbit.ADAPTER, "model", "mock-model", "provider", "mock");
        assertThat(scrape.sum("orbit_chat_turns_total", Map.of("adapter", Orbit.ADAPTER, "outcome", "success")))
                .isEqualTo(3);
        assertThat(scrape.sum("orbit_chat_tokens_total", Map.of("adapter", Orbit.ADAPTER, "direction", "input")))
                .isPositive();
        assertThat(scrape.sum("orbit_chat_tokens_total", Map.of("adapter", Orbit.ADAPTER, "direction", "output")))
                .isPositive();
        assertThat(scrape.sum("orbit_adapter_requests_total", Map.of("adapter", Orbit.ADAPTER, "status", "success")))
                .isEqualTo(3);
        assertThat(scrape.sum("orbit_adapter_latency_seconds_count", adapter)).isEqualTo(3);

        // Every backend's operations are timed through the one decorator; the chat stored its turns.
        String backendName = switch (backend) {
            case SQLITE -> "sqlite";
            case MONGODB -> "mongodb";
            case POSTGRES -> "postgres";
        };
        assertThat(scrape.sum("orbit_db_operation_duration_seconds_count", Map.of("backend", backendName,
                "collection", "chat_history"))).isGreaterThanOrEqualTo(3);
        assertThat(scrape.sum("orbit_db_operation_duration_seconds_count", Map.of("backend", backendName,
                "operation", "find_one", "collection", "api_keys"))).isPositive();
        switch (backend) {
            case SQLITE -> {
                assertThat(scrape.names()).contains("orbit_sqlite_writer_queue_depth", "orbit_db_pool_connections_max");
                assertThat(scrape.sum("orbit_sqlite_writer_commits_total", Map.of())).isPositive();
                assertThat(scrape.sum("orbit_sqlite_writer_writes_total", Map.of()))
                        .isGreaterThanOrEqualTo(scrape.sum("orbit_sqlite_writer_commits_total", Map.of()));
                assertThat(scrape.sum("orbit_sqlite_writer_busy_seconds_total", Map.of())).isPositive();
                assertThat(scrape.names()).contains("orbit_sqlite_wal_reset_seconds_total",
                        "orbit_sqlite_database_sync_failures_total");
            }
            case POSTGRES -> assertThat(scrape.sum("orbit_db_pool_connections_max", Map.of("pool", "postgres")))
                    .isEqualTo(10);
            case MONGODB -> { }
        }
        // JVM and process.
        assertThat(scrape.names()).contains("jvm_memory_used_bytes", "process_cpu_usage", "orbit_cpu_usage_percent",
                "orbit_memory_usage_mb", "jvm_threads_live_threads");
    }

    @Test
    void metricsNeedMetricsReadOrTheScrapeTokenAndAreNeverOpenByDefault() {
        Orbit orbit = orbit("monitoring: {metrics: {token: " + SCRAPE_TOKEN + "}}");
        assertThat(orbit.get("/metrics").send().status()).isEqualTo(401);
        assertThat(orbit.get("/metrics/json").send().status()).isEqualTo(401);
        assertThat(orbit.get("/metrics").bearer("scrape-token-0123456789abcdeX").send().status()).isEqualTo(401);
        assertThat(orbit.get("/metrics").bearer(SCRAPE_TOKEN).send().status()).isEqualTo(200);
        assertThat(orbit.get("/metrics/json").bearer(SCRAPE_TOKEN).send().status()).isEqualTo(200);
        String user = orbit.userWithRoles("plain", "user");
        assertThat(orbit.get("/metrics").bearer(user).send().detail()).contains("metrics.read");
        assertThat(orbit.get("/metrics").bearer(user).send().status()).isEqualTo(403);
        String auditor = orbit.userWithRoles("watcher", "auditor");
        Reply scraped = orbit.get("/metrics").bearer(auditor).send();
        assertThat(scraped.status()).isEqualTo(200);
        assertThat(scraped.header("Content-Type")).startsWith("text/plain; version=0.0.4");
        assertThat(orbit.get("/metrics/json").bearer(orbit.userWithRoles("ops", "operator")).send().status())
                .isEqualTo(200);
    }

    @Test
    void theSwitchOpensOnlyThePrometheusTextToScrapers() {
        Orbit orbit = orbit("monitoring: {metrics: {public: true}}");
        assertThat(orbit.get("/metrics").send().status()).isEqualTo(200);
        assertThat(orbit.get("/metrics/json").send().status()).isEqualTo(401);
    }

    @Test
    void disabledMonitoringAnswers503() {
        Orbit orbit = orbit("monitoring: {enabled: false}");
        String admin = orbit.adminToken();
        Reply metrics = orbit.get("/metrics").bearer(admin).send();
        assertThat(metrics.status()).isEqualTo(503);
        assertThat(metrics.detail()).isEqualTo("Prometheus metrics are disabled");
        assertThat(orbit.get("/metrics/json").bearer(admin).send().detail()).isEqualTo("Monitoring is disabled");
    }

    @Test
    void disabledPrometheusAnswers503WhileTheJsonFiguresStayUp() {
        Orbit orbit = orbit("monitoring: {metrics: {prometheus: {enabled: false}}}");
        String admin = orbit.adminToken();
        assertThat(orbit.get("/metrics").bearer(admin).send().status()).isEqualTo(503);
        assertThat(orbit.get("/metrics/json").bearer(admin).send().status()).isEqualTo(200);
    }

    @Test
    void theJsonFiguresHaveTheReferenceShapeAndCountTheRequests() {
        Orbit orbit = orbit("");
        String admin = orbit.adminToken();
        for (int i = 0; i < 4; i++) {
            orbit.get("/health").send();
        }
        orbit.get("/no/such/route").send();
        scrapeUntil(admin, "orbit_http_requests_total", Map.of("endpoint", dev.orbit.observability.HttpMetrics.UNMATCHED), 1);
        JsonNode json = orbit.get("/metrics/json").bearer(admin).send().json();
        assertThat(json.get("system").fieldNames()).toIterable().containsExactly("cpu_percent", "memory_gb",
                "memory_percent", "disk_usage_percent", "uptime", "uptime_seconds");
        assertThat(json.get("requests").fieldNames()).toIterable().containsExactly("total", "per_second",
                "error_rate", "avg_response_time", "p50_response_time", "p95_response_time", "p99_response_time");
        assertThat(json.get("time_series").fieldNames()).toIterable().containsExactly("cpu", "memory",
                "requests_per_second", "error_rate", "response_time", "response_time_p50", "response_time_p95",
                "response_time_p99", "timestamps");
        assertThat(json.get("thresholds").get("error_rate").intValue()).isEqualTo(5);
        JsonNode health = null;
        for (JsonNode row : json.get("endpoint_stats")) {
            if (row.get("endpoint").textValue().equals("/health")) {
                health = row;
            }
        }
        assertThat(health).isNotNull();
        assertThat(health.get("method").textValue()).isEqualTo("GET");
        assertThat(health.get("total_requests").longValue()).isEqualTo(4);
        assertThat(health.get("error_rate").doubleValue()).isZero();
        // login, key-less 404, health and at least one scrape: every one counted, the 404 as an error
        assertThat(json.get("requests").get("total").longValue()).isGreaterThanOrEqualTo(7);
        assertThat(json.get("requests").get("error_rate").doubleValue()).isPositive();
        assertThat(json.get("requests").get("p99_response_time").doubleValue()).isPositive();
    }
}
