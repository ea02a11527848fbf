package dev.orbit.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orbit.service.AdminEvent;
import dev.orbit.service.ApiKey;
import dev.orbit.service.AuditService;
import dev.orbit.service.AuthService;
import dev.orbit.service.ServiceException;
import dev.orbit.service.User;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records every state-changing {@code /auth/*} and {@code /admin/*} request, allowed or refused, in the admin audit:
 * the actor is taken before the route runs (a logout still knows who logged out), the event after it, and the
 * record is written before the reply leaves, so a reply saying a change happened has its record. What is stored
 * holds no secret: the body is reduced to an allow-list of fields, and API keys in paths are masked.
 */
final class AdminAudit {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACTOR = "orbit.audit-actor";
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
        if (AdminAuditRoutes.audited(ctx.method().name(), ctx.path())) {
            ctx.attribute(ACTOR, actor(ctx));
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
        if (!AdminAuditRoutes.audited(method, ctx.path())) {
            return;
        }
        int status = ctx.statusCode();
        AdminAuditRoutes.Mapping mapping = AdminAuditRoutes.map(method, ctx.path(), status);
        Actor actor = ctx.attribute(ACTOR);
        if (actor == null) {
            actor = new Actor("anonymous", null, null);
        }
        Map<String, Object> summary = summary(ctx.attribute(BODY));
        String username = actor.username();
        if (username == null && mapping.eventType().startsWith("auth.login")) {
            username = summary.get("username") instanceof String name ? name : null;
        }
        JsonNode reply = status < 300 || status >= 400 ? reply(ctx) : null;
        audit.recordAdmin(new AdminEvent(clock.instant(), mapping.eventType(), mapping.action(),
                mapping.resourceType(), resourceId(mapping, reply, status, summary), actor.type(), actor.id(), username, method,
                LogPaths.of(ctx), status, ctx.ip(), text(ctx.header("User-Agent")),
                status >= 400 ? errorMessage(reply) : null, summary, RequestIds.of(ctx)));
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
