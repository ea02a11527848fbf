package dev.orbit.http;

import static dev.orbit.http.Json.iso;
import static dev.orbit.http.Json.object;

import dev.orbit.service.BlacklistRule;
import dev.orbit.service.BlacklistService;
import dev.orbit.service.User;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/** {@code /auth/blacklist}: the login blacklist's rules ({@code users.manage}, bearer only). */
final class BlacklistRoutes {
    private static final String USERS_MANAGE = "users.manage";

    private final BlacklistService blacklist;
    private final Access access;
    private final JsonBodies bodies;

    BlacklistRoutes(BlacklistService blacklist, Access access, JsonBodies bodies) {
        this.blacklist = blacklist;
        this.access = access;
        this.bodies = bodies;
    }

    void register(RoutesConfig routes) {
        routes.get("/auth/blacklist", ctx -> {
            access.permitted(ctx, USERS_MANAGE);
            ctx.json(blacklist.list().stream().map(BlacklistRoutes::rule).toList());
        });
        routes.post("/auth/blacklist", ctx -> {
            User actor = access.permitted(ctx, USERS_MANAGE);
            JsonBody body = bodies.read(ctx);
            ctx.json(applied(blacklist.create(actor, body.requiredString("pattern"), body.requiredString("entry_type"),
                    body.optionalString("reason"))));
        });
        routes.put("/auth/blacklist/{rule_id}", ctx -> {
            User actor = access.permitted(ctx, USERS_MANAGE);
            JsonBody body = bodies.read(ctx);
            ctx.json(applied(blacklist.update(actor, ctx.pathParam("rule_id"), body.requiredString("pattern"),
                    body.requiredString("entry_type"), body.optionalString("reason"))));
        });
        routes.delete("/auth/blacklist/{rule_id}", this::delete);
    }

    private void delete(Context ctx) {
        User actor = access.permitted(ctx, USERS_MANAGE);
        String id = ctx.pathParam("rule_id");
        blacklist.delete(actor, id);
        ctx.json(object("status", "deleted", "id", id));
    }

    private static Map<String, Object> rule(BlacklistRule rule) {
        return object("id", rule.id(), "pattern", rule.pattern().text(), "entry_type", rule.entryType().stored(),
                "reason", rule.reason(), "created_by", rule.createdBy(), "created_at", iso(rule.createdAt()));
    }

    private static Map<String, Object> applied(BlacklistService.Applied applied) {
        Map<String, Object> reply = rule(applied.rule());
        reply.put("matched_users", applied.matchedUsers());
        reply.put("revoked_sessions", applied.revokedSessions());
        return reply;
    }
}
