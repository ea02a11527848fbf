package dev.orbit.service;

import static dev.orbit.db.Filters.and;
import static dev.orbit.db.Filters.containsIgnoreCase;
import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.Filters.gte;
import static dev.orbit.db.Filters.lt;
import static dev.orbit.db.Filters.or;
import static dev.orbit.db.Updates.setAll;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.Filter;
import dev.orbit.db.FindOptions;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.Sort;
import dev.orbit.json.SharedJsonBuffers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin audit ({@code audit_admin_logs}, written synchronously: when a reply says a change happened, its
 * record exists) and the conversation audit ({@code audit_logs}, written in batches by {@link AuditWriter}),
 * and the reading of both, newest first, filtered in the database.
 */
public final class AuditService {
    private static final Logger LOG = LoggerFactory.getLogger(AuditService.class);
    private static final ObjectMapper JSON = SharedJsonBuffers.mapper();
    /** How far paging may reach: merging two sources reads offset + limit rows of each. */
    public static final int MAX_OFFSET = 100_000;

    private final DatabaseService db;
    private final AuditSettings settings;
    private final Clock clock;

    public AuditService(DatabaseService db, AuditSettings settings, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public AuditSettings settings() {
        return settings;
    }

    /** Writes one admin event now; a database failure propagates (the request then fails, never unaudited). */
    public void recordAdmin(AdminEvent event) {
        db.insertOne(OrbitSchema.AUDIT_ADMIN_LOGS, adminDocument(event));
    }

    /**
     * Writes the record of an admin request before it runs: status 0 and no {@code success}, "outcome not known
     * yet". A store that cannot take it throws here, before the change is made; a record left at status 0 is a
     * request whose outcome was never written (the gateway died, or {@link #completeAdmin} failed). Returns its id.
     */
    public String beginAdmin(AdminEvent started) {
        Document doc = adminDocument(started);
        doc.put("success", null);
        return db.insertOne(OrbitSchema.AUDIT_ADMIN_LOGS, doc);
    }

    /** Completes the record {@link #beginAdmin} wrote with the request's outcome (written anew if it is gone). */
    public void completeAdmin(String id, AdminEvent event) {
        Document doc = adminDocument(event);
        doc.put("timestamp", null); // the record keeps the time the request arrived
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String name : doc.names()) {
            fields.put(name, doc.get(name));
        }
        if (db.updateOne(OrbitSchema.AUDIT_ADMIN_LOGS, eq("_id", id), setAll(fields)).matchedCount() == 0) {
            db.insertOne(OrbitSchema.AUDIT_ADMIN_LOGS, adminDocument(event)); // cleared meanwhile
        }
    }

    private static Document adminDocument(AdminEvent event) {
        Document doc = new Document(24);
        doc.put("timestamp", event.timestamp());
        doc.put("event_type", event.eventType());
        doc.put("action", event.action());
        doc.put("resource_type", event.resourceType());
        doc.put("resource_id", event.resourceId());
        doc.put("actor_type", event.actorType());
        doc.put("actor_id", event.actorId());
        doc.put("actor_username", event.actorUsername());
        doc.put("method", event.method());
        doc.put("path", event.path());
        doc.put("status_code", (long) event.statusCode());
        doc.put("success", event.success());
        putIp(doc, event.ip());
        doc.put("user_agent", event.userAgent());
        doc.put("error_message", event.errorMessage());
        doc.put("request_summary", json(event.requestSummary()));
        doc.put("request_id", event.requestId());
        return doc;
    }

    /** Writes a batch of chat records in one insert (called by {@link AuditWriter}, off the request path). */
    public void recordChats(List<ChatEvent> events, PriceTable prices) {
        List<Document> docs = new ArrayList<>(events.size());
        for (ChatEvent event : events) {
            docs.add(chatDocument(event, prices));
        }
        db.insertMany(OrbitSchema.AUDIT_LOGS, docs);
    }

    private Document chatDocument(ChatEvent event, PriceTable prices) {
        PriceTable.Cost cost = prices.cost(event.model(), event.promptTokens(), event.completionTokens());
        boolean content = settings.storeContent();
        Document doc = new Document(40);
        doc.put("timestamp", event.timestamp());
        doc.put("query", content && event.query() != null ? event.query() : "");
        String response = content && event.response() != null ? event.response() : "";
        boolean compress = content && settings.compressResponses() && !response.isEmpty();
        doc.put("response", compress ? gzipBase64(response) : response);
        doc.put("response_compressed", compress);
        doc.put("provider", event.provider());
        doc.put("blocked", false);
        putIp(doc, event.ip());
        doc.put("api_key_value", event.apiKeyValue());
        doc.put("api_key_id", event.apiKeyId());
        doc.put("api_key_hash", event.apiKeyHash());
        doc.put("session_id", event.sessionId());
        doc.put("user_id", event.userId());
        doc.put("adapter_name", event.adapterName());
        doc.put("model", event.model());
        doc.put("prompt_tokens", event.promptTokens());
        doc.put("completion_tokens", event.completionTokens());
        doc.put("total_tokens", event.promptTokens() + event.completionTokens());
        doc.put("cost_usd", cost.usd());
        doc.put("input_rate_per_1m", cost.inputPer1m());
        doc.put("output_rate_per_1m", cost.outputPer1m());
        doc.put("pricing_source", cost.priced() ? "config" : "unpriced");
        doc.put("usage_unit", "tokens");
        doc.put("usage_quantity", (double) (event.promptTokens() + event.completionTokens()));
        doc.put("call_type", event.callType());
        doc.put("outcome", event.outcome().label());
        doc.put("latency_ms", event.latencyMs());
        doc.put("request_id", event.requestId());
        return doc; // a null put leaves the field out
    }

    /** The reference's {@code ip_metadata}, flattened as its SQLite backend stores it. */
    private static void putIp(Document doc, String ip) {
        if (ip == null || ip.isEmpty()) {
            return;
        }
        doc.put("ip", ip);
        doc.put("ip_type", ip.contains(":") ? "ipv6" : "ipv4");
        doc.put("ip_is_local", isLocal(ip));
        doc.put("ip_source", "direct");
        doc.put("ip_original_value", ip);
    }

    private static boolean isLocal(String ip) {
        // By its text: an address is never looked up (Java 21 has no lookup-free parser).
        String a = ip.toLowerCase(java.util.Locale.ROOT);
        if (a.contains(":")) {
            return a.equals("::1") || a.startsWith("fe80:") || a.startsWith("fc") || a.startsWith("fd")
                    || a.startsWith("::ffff:127.") || a.startsWith("0:0:0:0:0:0:0:1");
        }
        if (a.startsWith("127.") || a.startsWith("10.") || a.startsWith("192.168.") || a.startsWith("169.254.")) {
            return true;
        }
        if (a.startsWith("172.")) {
            String[] parts = a.split("\\.");
            try {
                int second = Integer.parseInt(parts[1]);
                return second >= 16 && second <= 31;
            } catch (RuntimeException e) {
                return false;
            }
        }
        return false;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the request summary", e);
        }
    }

    static String gzipBase64(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /** Which records an events query reads. */
    public enum Source { ALL, ADMIN, CHAT }

    /**
     * An events query ({@code GET /admin/audit/events}); null filters match everything. {@code actor} matches
     * an admin event's actor id or user name, or a chat record's user id.
     */
    public record EventQuery(Source source, int limit, int offset, String eventType, String eventPrefix, String actor,
                             Boolean success, String resourceType, String callType, String q, Instant since,
                             Instant until) {
    }

    /** A record and the collection it came from. */
    public record AuditRecord(Source source, Document document) {
    }

    /** A page of events, newest first, and how many match in each source. */
    public record EventPage(List<AuditRecord> events, long adminTotal, long chatTotal) {
        public long total() {
            return adminTotal + chatTotal;
        }
    }

    /** The matching events, newest first; both sources are filtered and counted in the database. */
    public EventPage events(EventQuery query) {
        if (query.offset() > MAX_OFFSET) {
            throw new ServiceException.Unprocessable("offset", "offset must be at most " + MAX_OFFSET);
        }
        Filter admin = query.source() == Source.CHAT ? null : adminFilter(query);
        Filter chat = query.source() == Source.ADMIN ? null : chatFilter(query);
        int window = query.offset() + query.limit();
        FindOptions newest = FindOptions.sortedBy(Sort.descending("timestamp", "_id")).limit(window);
        List<AuditRecord> merged = new ArrayList<>();
        long adminTotal = 0;
        long chatTotal = 0;
        if (admin != null) {
            adminTotal = db.count(OrbitSchema.AUDIT_ADMIN_LOGS, admin);
            db.findMany(OrbitSchema.AUDIT_ADMIN_LOGS, admin, newest)
                    .forEach(d -> merged.add(new AuditRecord(Source.ADMIN, d)));
        }
        if (chat != null) {
            chatTotal = db.count(OrbitSchema.AUDIT_LOGS, chat);
            db.findMany(OrbitSchema.AUDIT_LOGS, chat, newest).forEach(d -> merged.add(new AuditRecord(Source.CHAT, d)));
        }
        merged.sort(Comparator.comparing((AuditRecord r) -> r.document().getInstant("timestamp")).reversed());
        List<AuditRecord> page = merged.subList(Math.min(query.offset(), merged.size()),
                Math.min(window, merged.size()));
        return new EventPage(List.copyOf(page), adminTotal, chatTotal);
    }

    private static Filter adminFilter(EventQuery query) {
        List<Filter> filters = timeFilters(query);
        if (query.eventType() != null) {
            if (query.eventType().equals("chat.request")) {
                return null;
            }
            filters.add(eq("event_type", query.eventType()));
        }
        if (query.eventPrefix() != null) {
            filters.add(startsWith("event_type", query.eventPrefix()));
        }
        if (query.actor() != null) {
            filters.add(or(eq("actor_id", query.actor()), eq("actor_username", query.actor())));
        }
        if (query.success() != null) {
            filters.add(eq("success", query.success()));
        }
        if (query.resourceType() != null) {
            filters.add(eq("resource_type", query.resourceType()));
        }
        if (query.callType() != null) {
            return null; // call types are chat records'
        }
        if (query.q() != null) {
            filters.add(or(containsIgnoreCase("actor_id", query.q()), containsIgnoreCase("actor_username", query.q()),
                    containsIgnoreCase("path", query.q()), containsIgnoreCase("ip", query.q())));
        }
        return and(filters);
    }

    private static Filter chatFilter(EventQuery query) {
        List<Filter> filters = timeFilters(query);
        if (query.eventType() != null && !query.eventType().equals("chat.request")) {
            return null;
        }
        if (query.eventPrefix() != null && !"chat.request".startsWith(query.eventPrefix())
                && !query.eventPrefix().startsWith("chat.request")) {
            return null;
        }
        if (query.resourceType() != null) {
            return null; // resource types are admin events'
        }
        if (query.actor() != null) {
            filters.add(eq("user_id", query.actor()));
        }
        if (query.success() != null) {
            // A chat record's success is "not blocked"; this gateway blocks nothing, so all succeed.
            filters.add(eq("blocked", !query.success()));
        }
        if (query.callType() != null) {
            filters.add(eq("call_type", query.callType()));
        }
        if (query.q() != null) {
            filters.add(or(containsIgnoreCase("user_id", query.q()), containsIgnoreCase("ip", query.q()),
                    containsIgnoreCase("query", query.q()), containsIgnoreCase("response", query.q())));
        }
        return and(filters);
    }

    private static List<Filter> timeFilters(EventQuery query) {
        List<Filter> filters = new ArrayList<>();
        if (query.since() != null) {
            filters.add(gte("timestamp", query.since()));
        }
        if (query.until() != null) {
            filters.add(lt("timestamp", query.until()));
        }
        return filters;
    }

    // A prefix as a range: every string starting with it sorts from it up to it followed by the last code point.
    private static Filter startsWith(String field, String prefix) {
        return and(gte(field, prefix), lt(field, prefix + Character.toString(Character.MAX_CODE_POINT)));
    }

    /** Deletes audit records older than the retention; returns how many. */
    public long purgeExpired() {
        if (settings.retentionDays() <= 0) {
            return 0;
        }
        Instant cutoff = clock.instant().minus(Duration.ofDays(settings.retentionDays()));
        return db.deleteMany(OrbitSchema.AUDIT_ADMIN_LOGS, lt("timestamp", cutoff))
                + db.deleteMany(OrbitSchema.AUDIT_LOGS, lt("timestamp", cutoff));
    }

    /**
     * The reference's {@code clear_on_startup} switches. The audit is the database's, shared by every gateway on it:
     * any gateway's start empties it for all, so each clearing is logged with what it deleted.
     */
    public void clearOnStartup() {
        if (settings.clearOnStartup()) {
            LOG.warn("internal_services.audit.clear_on_startup: deleted {} conversation audit records (every gateway's)",
                    db.deleteMany(OrbitSchema.AUDIT_LOGS, dev.orbit.db.Filters.all()));
        }
        if (settings.clearAdminOnStartup()) {
            LOG.warn("internal_services.audit.admin_events.clear_on_startup: deleted {} admin audit records (every"
                    + " gateway's)", db.deleteMany(OrbitSchema.AUDIT_ADMIN_LOGS, dev.orbit.db.Filters.all()));
        }
    }
}
