package dev.orbit.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orbit.json.SharedJsonBuffers;
import dev.orbit.service.AdminEvent;
import dev.orbit.service.ApiKey;
import dev.orbit.service.AuditService;
import dev.orbit.service.AuthService;
import dev.orbit.service.ServiceException;
import dev.orbit.service.User;
import io.javalin.config.RoutesConfig;
import dev.orbit.db.DatabaseException;
import io.javalin.http.Context;
import io.javalin.http.InternalServerErrorResponse;
import io.javalin.http.ServiceUnavailableResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every state-changing {@code /auth/*} and {@code /admin/*} request, allowed or refused, in the admin audit.
 * The record is written before the route runs (with the actor: a logout still knows who logged out) and completed
 * with the outcome before the reply leaves, so a reply saying a change happened has its record:
 * <ul>
 * <li>a store that cannot take the first write refuses the request with 503 before anything changes;</li>
 * <li>if only the completing write fails, the change was made and its record exists without its outcome
 * (status 0): the reply is a 500 saying so, never the route's success.</li>
 * </ul>
 * What is stored holds no secret: the body is reduced to an allow-list of fields, and API keys in paths are masked.
 */
final class AdminAudit {
    private static final Logger LOG = LoggerFactory.getLogger(AdminAudit.class);
    private static final ObjectMapper JSON = SharedJsonBuffers.mapper();
    private static final String ACTOR = "orbit.audit-actor";
    private static final String RECORD_ID = "orbit.audit-record";
    static final String NOT_RECORDED = "The audit trail cannot be written, so the request was not carried out";
    static final String NOT_COMPLETED = "The change was applied, but its audit record could not be completed"
            + " (it shows status 0); see the server log";
    /** Where {@link JsonBodies} leaves the parsed body for the audit. */
    static final String BODY = "orbit.audit-body";
    private static final int MAX_TEXT = 200;
    /**
     * Body fields kept in {@code request_summary}. Allowed, not denied: a new field stays out until it is
     * named here, so a secret in a new field is never stored by default. Never passwords, tokens or keys.
     */
    static final Set<String> SUMMARY_FIELDS = Set.of("username", "client_name", "adapter_name", "name", "version",
            "role", "roles", "active", "system_prompt_id", "allowed_user_ids", "allowed_emails", "user_id", "pattern",
            "entry_type", "reason", "session_id", "daily_limit", "monthly_limit", "throttle_enabled",
            "throttle_priority", "email");

    private record Actor(String type, String id, String username) {
    }

    private final AuditService audit;
    private final AuthService auth;
    private final Access access;
    private final Clock clock;

    AdminAudit(AuditService audit, AuthService auth, Access access, Clock clock) {
        this.audit = audit;
        this.auth = auth;
        this.access = access;
        this.clock = clock;
    }

    void register(RoutesConfig routes) {
        routes.before(this::identify);
        routes.after(this::record);
    }

    private void identify(Context ctx) {
        if (!AdminAuditRoutes.audited(ctx.method().name(), ctx.path())) {
            return;
        }
        Actor actor = actor(ctx);
        ctx.attribute(ACTOR, actor);
        AdminAuditRoutes.Mapping mapping = AdminAuditRoutes.map(ctx.method().name(), ctx.path(), 0);
        try {
            ctx.attribute(RECORD_ID, audit.beginAdmin(event(ctx, mapping, actor, actor.username(), 0,
                    resourceId(mapping, null, 0, Map.of()), null, Map.of())));
        } catch (DatabaseException e) {
            LOG.error("request {} {} {}: the admin audit record could not be written; request refused",
                    RequestIds.of(ctx), ctx.method(), LogPaths.of(ctx), e);
            throw new ServiceUnavailableResponse(NOT_RECORDED);
        }
    }

    private Actor actor(Context ctx) {
        String token = Access.bearer(ctx);
        if (token == null) {
            token = ConsoleCookie.token(ctx); // who the console's session is, whether or not the call is allowed
        }
        if (token != null) {
            try {
                User user = auth.authenticate(token);
                return new Actor("user", user.id(), user.username());
            } catch (ServiceException e) {
                // an invalid or expired token: the request is refused, and recorded as anonymous
            }
        }
        String key = access.apiKey(ctx);
        if (key != null && !key.isEmpty()) {
            return new Actor("api_key", ApiKey.mask(key), null);
        }
        return new Actor("anonymous", null, null);
    }

    private void record(Context ctx) {
        String method = ctx.method().name();
        String recordId = ctx.attribute(RECORD_ID);
        if (!AdminAuditRoutes.audited(method, ctx.path()) || recordId == null) {
            return; // not audited, or refused above because its record could not be written
        }
        int status = ctx.statusCode();
        AdminAuditRoutes.Mapping mapping = AdminAuditRoutes.map(method, ctx.path(), status);
        Actor actor = ctx.attribute(ACTOR);
        Map<String, Object> summary = summary(ctx.attribute(BODY));
        String username = actor.username();
        if (username == null && mapping.eventType().startsWith("auth.login")) {
            username = summary.get("username") instanceof String name ? name : null;
        }
        JsonNode reply = status < 300 || status >= 400 ? reply(ctx) : null;
        try {
            audit.completeAdmin(recordId, event(ctx, mapping, actor, username, status,
                    resourceId(mapping, reply, status, summary), status >= 400 ? errorMessage(reply) : null, summary));
        } catch (DatabaseException e) {
            LOG.error("request {} {} {}: answered {} but its admin audit record could not be completed",
                    RequestIds.of(ctx), method, LogPaths.of(ctx), status, e);
            throw new InternalServerErrorResponse(NOT_COMPLETED);
        }
    }

    private AdminEvent event(Context ctx, AdminAuditRoutes.Mapping mapping, Actor actor, String username, int status,
                             String resourceId, String errorMessage, Map<String, Object> summary) {
        return new AdminEvent(clock.instant(), mapping.eventType(), mapping.action(), mapping.resourceType(),
                resourceId, actor.type(), actor.id(), username, ctx.method().name(), LogPaths.of(ctx), status, ctx.ip(),
                text(ctx.header("User-Agent")), errorMessage, summary, RequestIds.of(ctx));
    }

    // The id of what was created comes from the reply (a new key only as its last 4 characters).
    private static String resourceId(AdminAuditRoutes.Mapping mapping, JsonNode reply, int status,
                                     Map<String, Object> summary) {
        if (mapping.resourceId() != null) {
            String id = PercentDecodingSafe.decode(mapping.resourceId());
            return mapping.keyInPath() ? ApiKey.mask(id) : text(id);
        }
        if (summary.get("user_id") instanceof String userId) {
            return userId; // e.g. a password reset names its user in the body
        }
        if (reply != null && status < 300) {
            if (reply.path("api_key").isTextual()) {
                return ApiKey.mask(reply.path("api_key").textValue());
            }
            if (reply.path("id").isTextual()) {
                return text(reply.path("id").textValue());
            }
        }
        return null;
    }

    private static JsonNode reply(Context ctx) {
        try {
            String body = ctx.result();
            return body == null || body.isEmpty() ? null : JSON.readTree(body);
        } catch (Exception e) {
            return null; // not JSON (a stream or an empty reply): nothing to take from it
        }
    }

    private static String errorMessage(JsonNode reply) {
        if (reply == null) {
            return null;
        }
        JsonNode detail = reply.path("detail");
        if (detail.isTextual()) {
            return text(detail.textValue());
        }
        if (detail.isArray() && detail.size() > 0 && detail.get(0).path("msg").isTextual()) {
            return text(detail.get(0).path("msg").textValue());
        }
        return null;
    }

    /** The allow-listed fields of the body: scalars and lists of scalars, texts cut to a bounded length. */
    static Map<String, Object> summary(ObjectNode body) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (body == null) {
            return out;
        }
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            if (!SUMMARY_FIELDS.contains(field.getKey())) {
                continue;
            }
            JsonNode value = field.getValue();
            if (value.isArray()) {
                List<Object> items = new ArrayList<>();
                value.forEach(item -> {
                    if (item.isValueNode() && items.size() < 50) {
                        items.add(scalar(item));
                    }
                });
                out.put(field.getKey(), items);
            } else if (value.isValueNode()) {
                out.put(field.getKey(), scalar(value));
            }
        }
        return out;
    }

    private static Object scalar(JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber()) {
            return value.longValue();
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        return text(value.asText());
    }

    private static String text(String value) {
        if (value == null) {
            return null;
        }
        if (value.codePointCount(0, value.length()) <= MAX_TEXT) {
            return value;
        }
        // Cut between code points: half a surrogate pair is not text, and the store would refuse the record.
        return value.substring(0, value.offsetByCodePoints(0, MAX_TEXT)) + "...";
    }

    /** Percent-decoding that keeps the raw text when it is malformed. */
    private static final class PercentDecodingSafe {
        static String decode(String raw) {
            try {
                return PercentDecoding.decode(raw, false);
            } catch (IllegalArgumentException e) {
                return raw;
            }
        }
    }
}
