package dev.orbit.http;

import dev.orbit.config.MonitoringConfig;
import dev.orbit.config.Secret;
import dev.orbit.observability.Metrics;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.ServiceUnavailableResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * {@code GET /metrics} (Prometheus text) and {@code GET /metrics/json} (the reference dashboard's figures). Both are
 * open to anyone in the reference; here they take a user with {@code metrics.read}, or the scrape token of
 * {@code monitoring.metrics.token} as a bearer token, and {@code /metrics} answers anyone only when
 * {@code monitoring.metrics.public} says so. 503 when monitoring (or, for {@code /metrics}, Prometheus) is off.
 */
final class MetricsRoutes {
    static final String METRICS_READ = "metrics.read";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Metrics metrics;
    private final MonitoringConfig config;
    private final Access access;
    private final Optional<byte[]> tokenHash;

    MetricsRoutes(Metrics metrics, Access access) {
        this.metrics = metrics;
        this.config = metrics.config();
        this.access = access;
        this.tokenHash = config.scrapeToken().map(Secret::value).map(MetricsRoutes::sha256);
    }

    void register(RoutesConfig routes) {
        routes.get("/metrics", this::prometheus);
        routes.get("/metrics/json", this::json);
    }

    private void prometheus(Context ctx) {
        if (!metrics.enabled() || !config.prometheusEnabled()) {
            throw new ServiceUnavailableResponse("Prometheus metrics are disabled");
        }
        if (!config.open()) {
            authorize(ctx);
        }
        ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape());
    }

    private void json(Context ctx) {
        if (!metrics.enabled()) {
            throw new ServiceUnavailableResponse("Monitoring is disabled");
        }
        authorize(ctx);
        ctx.json(metrics.dashboard());
    }

    // The scrape token, else a user (or, with api_key_admin_access, a key) holding metrics.read.
    private void authorize(Context ctx) {
        String bearer = Access.bearer(ctx);
        if (bearer != null && tokenHash.isPresent() && MessageDigest.isEqual(sha256(bearer), tokenHash.get())) {
            return;
        }
        access.admin(ctx, METRICS_READ);
    }

    // Compared as digests: equal lengths, so the comparison's time says nothing about the token's length either.
    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
