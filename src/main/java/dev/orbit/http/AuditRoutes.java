package dev.orbit.http;

import static dev.orbit.http.Json.object;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orbit.db.Document;
import dev.orbit.db.Values;
import dev.orbit.json.SharedJsonBuffers;
import dev.orbit.service.AuditService;
import dev.orbit.service.AuditServices;
import dev.orbit.service.UsageService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.ServiceUnavailableResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * {@code GET /admin/audit/events} and {@code GET /admin/observability/usage} ({@code orbit-api-next.md} §2),
 * permission {@code audit.read}. Filtering, counting and paging happen in the database.
 */
final class AuditRoutes {
    static final String PERMISSION = "audit.read";
    private static final ObjectMapper JSON = SharedJsonBuffers.mapper();

    private final AuditServices audit;
    private final Access access;

    AuditRoutes(AuditServices audit, Access access) {
        this.audit = audit;
        this.access = access;
    }

    void register(RoutesConfig routes) {
        routes.get("/admin/audit/events", this::events);
        routes.get("/admin/observability/usage", this::usage);
    }

    private void events(Context ctx) {
        access.admin(ctx, PERMISSION);
        AuditService.Source source = source(ctx);
        boolean adminOn = audit.settings().adminEnabled();
        boolean chatOn = audit.settings().chatEnabled();
        if ((source == AuditService.Source.ADMIN && !adminOn) || (source == AuditService.Source.CHAT && !chatOn)
                || (!adminOn && !chatOn)) {
            throw new ServiceUnavailableResponse("Audit logging is disabled");
        }
        if (source == AuditService.Source.ALL && !(adminOn && chatOn)) {
            source = adminOn ? AuditService.Source.ADMIN : AuditService.Source.CHAT;
        }
        int limit = QueryParams.integer(ctx, "limit", 50, 1, 500);
        int offset = QueryParams.integer(ctx, "offset", 0, 0, AuditService.MAX_OFFSET);
        String success = QueryParams.string(ctx, "success");
        AuditService.EventPage page = audit.audit().events(new AuditService.EventQuery(source, limit, offset,
                blankless(ctx, "event_type"), blankless(ctx, "event_prefix"), blankless(ctx, "actor_id"),
                success == null ? null : QueryParams.bool(ctx, "success", true), blankless(ctx, "resource_type"),
                blankless(ctx, "call_type"), blankless(ctx, "q"), time(ctx, "since"), time(ctx, "until")));
        List<Map<String, Object>> events = new ArrayList<>();
        for (AuditService.AuditRecord record : page.events()) {
            events.add(record.source() == AuditService.Source.ADMIN ? adminEvent(record.document())
                    : chatEvent(record.document()));
        }
        ctx.json(object("events", events, "limit", limit, "offset", offset, "returned", events.size(),
                "total", page.total(), "sources", object("admin", page.adminTotal(), "chat", page.chatTotal())));
    }

    private void usage(Context ctx) {
        access.admin(ctx, PERMISSION);
        if (!audit.settings().chatEnabled()) {
            throw new ServiceUnavailableResponse("Audit logging is disabled");
        }
        int days = QueryParams.integer(ctx, "days", 7, 1, 365);
        String bucket = choice(ctx, "bucket", "day", UsageService.BUCKETS);
        String groupBy = choice(ctx, "group_by", "model", UsageService.GROUPS);
        int limitGroups = QueryParams.integer(ctx, "limit_groups", 10, 1, 1000);
        UsageService.UsageReport report = audit.usage().report(new UsageService.UsageQuery(days, bucket, groupBy,
                blankless(ctx, "provider"), blankless(ctx, "adapter_name"), blankless(ctx, "call_type"),
                blankless(ctx, "api_key"), limitGroups));
        UsageService.Sums t = report.totals();
        List<Map<String, Object>> series = new ArrayList<>();
        report.series().forEach((start, sums) -> series.add(object("bucket", Json.iso(start),
                "requests", sums.requests(), "prompt_tokens", sums.promptTokens(),
                "completion_tokens", sums.completionTokens(), "total_tokens", sums.totalTokens(),
                "cost_usd", dollars(sums.costUsd()))));
        List<Map<String, Object>> groups = new ArrayList<>();
        for (UsageService.Group g : report.groups()) {
            Map<String, Object> group = object("key", g.key(), "requests", g.sums().requests(),
                    "total_tokens", g.sums().totalTokens(), "cost_usd", dollars(g.sums().costUsd()),
                    "unpriced", g.sums().unpricedRequests() > 0);
            if (groupBy.equals("api_key")) {
                group.put("label", g.label());
                group.put("ambiguous", g.ambiguous());
            }
            groups.add(group);
        }
        UsageService.Pricing pricing = report.pricing();
        ctx.json(object("window", object("since", Json.iso(report.since()), "until", Json.iso(report.until()),
                        "bucket", bucket, "days", days),
                "totals", object("requests", t.requests(), "errors", t.errors(), "prompt_tokens", t.promptTokens(),
                        "completion_tokens", t.completionTokens(), "total_tokens", t.totalTokens(),
                        "cost_usd", dollars(t.costUsd()), "unpriced_requests", t.unpricedRequests(),
                        "unreported_requests", t.unreportedRequests()),
                "series", series, "groups", groups,
                "pricing", object("updated", pricing.updated() == null ? null : pricing.updated().toString(),
                        "stale", pricing.stale())));
    }

    private static BigDecimal dollars(double usd) {
        return BigDecimal.valueOf(usd).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
    }

    private static AuditService.Source source(Context ctx) {
        return AuditService.Source.valueOf(choice(ctx, "source", "all", List.of("all", "admin", "chat"))
                .toUpperCase(Locale.ROOT));
    }

    private static String choice(Context ctx, String name, String defaultValue, List<String> allowed) {
        String value = QueryParams.string(ctx, name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw new RequestValidationException(List.of("query", name), "Input should be "
                    + String.join(", ", allowed.stream().map(a -> "'" + a + "'").toList()), "literal_error");
        }
        return v;
    }

    static String blankless(Context ctx, String name) {
        String value = QueryParams.string(ctx, name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** An ISO-8601 instant ({@code 2026-03-01T10:00:00Z}), a date (its midnight UTC) or Unix seconds. */
    static Instant time(Context ctx, String name) {
        String value = blankless(ctx, name);
        if (value == null) {
            return null;
        }
        Instant instant;
        try {
            if (value.matches("\\d+(\\.\\d+)?")) {
                double seconds = Double.parseDouble(value);
                // Past the storable range (and so past a long of milliseconds): refused below, not wrapped.
                instant = seconds * 1000 > Values.MAX_INSTANT.toEpochMilli() ? Values.MAX_INSTANT.plusMillis(1)
                        : Instant.ofEpochMilli((long) (seconds * 1000));
            } else if (value.matches("\\d{4}-\\d{2}-\\d{2}")) {
                instant = Instant.parse(value + "T00:00:00Z");
            } else {
                instant = java.time.OffsetDateTime.parse(value).toInstant();
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            throw badTime(name);
        }
        if (instant.isBefore(Values.MIN_INSTANT) || instant.isAfter(Values.MAX_INSTANT)) {
            throw badTime(name);
        }
        return instant;
    }

    private static RequestValidationException badTime(String name) {
        return new RequestValidationException(List.of("query", name), "Input should be an ISO-8601 date-time with"
                + " offset, a date or Unix seconds, between the years 1 and 9999", "datetime_parsing");
    }

    private static Map<String, Object> adminEvent(Document d) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", d.id());
        e.put("timestamp", Json.iso(d.getInstant("timestamp")));
        for (String field : List.of("event_type", "action", "resource_type", "resource_id", "actor_type", "actor_id",
                "actor_username", "method", "path", "status_code", "success", "ip")) {
            e.put(field, d.get(field));
        }
        e.put("ip_metadata", ipMetadata(d));
        e.put("user_agent", d.getString("user_agent"));
        e.put("error_message", d.getString("error_message"));
        e.put("request_summary", parsed(d.getString("request_summary")));
        e.put("request_id", d.getString("request_id"));
        e.put("audit_source", "admin");
        e.put("audit_kind", "admin");
        e.put("title", d.getString("event_type"));
        String who = d.getString("actor_username") != null ? d.getString("actor_username")
                : d.getString("actor_id") != null ? d.getString("actor_id") : "anonymous";
        e.put("subtitle", who + " " + d.getString("method") + " " + d.getString("path") + " → "
                + d.get("status_code"));
        return e;
    }

    private static Map<String, Object> chatEvent(Document d) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", d.id());
        e.put("timestamp", Json.iso(d.getInstant("timestamp")));
        e.put("event_type", "chat.request");
        boolean blocked = d.getBoolean("blocked", false);
        e.put("action", blocked ? "BLOCK" : "CHAT");
        e.put("success", !blocked);
        e.put("actor_id", d.getString("user_id"));
        for (String field : List.of("session_id", "user_id", "adapter_name", "provider", "model", "call_type",
                "outcome", "prompt_tokens", "completion_tokens", "total_tokens", "reasoning_tokens",
                "cached_prompt_tokens", "cost_usd", "input_rate_per_1m", "output_rate_per_1m", "pricing_source",
                "usage_unit", "usage_quantity", "latency_ms", "request_id", "query", "blocked", "ip")) {
            e.put(field, d.get(field));
        }
        boolean compressed = d.getBoolean("response_compressed", false);
        e.put("response", compressed ? gunzip(d.getString("response")) : d.getString("response"));
        e.put("response_compressed", compressed);
        e.put("ip_metadata", ipMetadata(d));
        e.put("api_key", object("key", d.getString("api_key_value"), "timestamp",
                d.getInstant("api_key_timestamp") == null ? null : Json.iso(d.getInstant("api_key_timestamp")),
                "id", d.getString("api_key_id")));
        e.put("request_summary", object("adapter_name", d.getString("adapter_name"), "model", d.getString("model"),
                "call_type", d.getString("call_type"), "outcome", d.getString("outcome")));
        e.put("audit_source", "chat");
        e.put("audit_kind", "chat");
        e.put("title", "chat.request");
        e.put("subtitle", d.getString("adapter_name") + " " + d.getString("model") + " (" + d.getString("outcome")
                + ")");
        return e;
    }

    private static Map<String, Object> ipMetadata(Document d) {
        return object("address", d.getString("ip"), "type", d.getString("ip_type"), "isLocal", d.getBoolean("ip_is_local"),
                "source", d.getString("ip_source"), "originalValue", d.getString("ip_original_value"));
    }

    private static Object parsed(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, Object.class);
        } catch (IOException e) {
            return json; // a reference row's summary that is not JSON: shown as written
        }
    }

    private static String gunzip(String base64) {
        if (base64 == null || base64.isEmpty()) {
            return base64;
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(base64)))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | IllegalArgumentException e) {
            return base64; // not this project's compression: shown as stored
        }
    }
}
