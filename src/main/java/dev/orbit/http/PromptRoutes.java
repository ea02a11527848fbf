package dev.orbit.http;

import static dev.orbit.http.Json.iso;
import static dev.orbit.http.Json.object;
import static dev.orbit.http.Json.unix;

import dev.orbit.service.Prompt;
import dev.orbit.service.PromptService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/**
 * {@code /admin/prompts*} ({@code prompts.manage}). Create and update reply with unix-float times, reads with
 * ISO-8601 ones, as the contract specifies.
 */
final class PromptRoutes {
    private static final String PROMPTS_MANAGE = "prompts.manage";

    private final PromptService prompts;
    private final Access access;
    private final JsonBodies bodies;

    PromptRoutes(PromptService prompts, Access access, JsonBodies bodies) {
        this.prompts = prompts;
        this.access = access;
        this.bodies = bodies;
    }

    void register(RoutesConfig routes) {
        routes.post("/admin/prompts", this::create);
        routes.get("/admin/prompts", this::list);
        routes.get("/admin/prompts/{id}", this::get);
        routes.put("/admin/prompts/{id}", this::update);
        routes.delete("/admin/prompts/{id}", this::delete);
    }

    private void create(Context ctx) {
        access.admin(ctx, PROMPTS_MANAGE);
        JsonBody body = bodies.read(ctx);
        ctx.json(written(prompts.create(body.requiredString("name"), body.requiredString("prompt"),
                body.optionalString("version"))));
    }

    private void list(Context ctx) {
        access.admin(ctx, PROMPTS_MANAGE);
        ctx.json(prompts.list(QueryParams.string(ctx, "name_filter"), QueryParams.integer(ctx, "limit", 100),
                QueryParams.integer(ctx, "offset", 0)).stream().map(PromptRoutes::read).toList());
    }

    private void get(Context ctx) {
        access.admin(ctx, PROMPTS_MANAGE);
        ctx.json(read(prompts.get(ctx.pathParam("id"))));
    }

    private void update(Context ctx) {
        access.admin(ctx, PROMPTS_MANAGE);
        JsonBody body = bodies.read(ctx);
        ctx.json(written(prompts.update(ctx.pathParam("id"), body.requiredString("prompt"),
                body.optionalString("version"))));
    }

    private void delete(Context ctx) {
        access.admin(ctx, PROMPTS_MANAGE);
        prompts.delete(ctx.pathParam("id"));
        ctx.json(object("status", "success", "message", "Prompt deleted"));
    }

    private static Map<String, Object> written(Prompt p) {
        return object("id", p.id(), "name", p.name(), "prompt", p.prompt(), "version", p.version(),
                "created_at", unix(p.createdAt()), "updated_at", unix(p.updatedAt()));
    }

    private static Map<String, Object> read(Prompt p) {
        return object("_id", p.id(), "name", p.name(), "prompt", p.prompt(), "version", p.version(),
                "created_at", iso(p.createdAt()), "updated_at", iso(p.updatedAt()));
    }
}
