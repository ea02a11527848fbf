package dev.orbit.http;

import static dev.orbit.http.Json.iso;
import static dev.orbit.http.Json.object;
import static dev.orbit.http.Json.unix;

import dev.orbit.service.ApiKey;
import dev.orbit.service.ApiKeyRequest;
import dev.orbit.service.ApiKeyService;
import dev.orbit.service.ApiKeyStatus;
import dev.orbit.service.CreatedApiKey;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/**
 * {@code /admin/api-keys*} ({@code apikeys.manage}). {@code {key}} in a path is the record id or the raw key,
 * as the reference CLI sends it; listings and details show only {@code ***} and the last 4 characters.
 */
final class ApiKeyRoutes {
    private static final String APIKEYS_MANAGE = "apikeys.manage";

    private final ApiKeyService apiKeys;
    private final Access access;
    private final JsonBodies bodies;

    ApiKeyRoutes(ApiKeyService apiKeys, Access access, JsonBodies bodies) {
        this.apiKeys = apiKeys;
        this.access = access;
        this.bodies = bodies;
    }

    void register(RoutesConfig routes) {
        routes.post("/admin/api-keys", this::create);
        routes.get("/admin/api-keys", this::list);
        routes.get("/admin/api-keys/{key}/detail", this::detail);
        routes.get("/admin/api-keys/{key}/status", this::status);
        routes.patch("/admin/api-keys/{key}/rename", this::rename);
        routes.put("/admin/api-keys/{key}", this::update);
        routes.post("/admin/api-keys/{key}/deactivate", this::deactivate);
        routes.delete("/admin/api-keys/{key}", this::delete);
        routes.post("/admin/api-keys/{key}/prompt", this::associatePrompt);
    }

    private void create(Context ctx) {
        access.admin(ctx, APIKEYS_MANAGE);
        CreatedApiKey created = apiKeys.create(request(bodies.read(ctx)));
        ApiKey key = created.record();
        ctx.json(object("api_key", created.apiKey(), "client_name", key.clientName(), "adapter_name", key.adapterName(),
                "notes", key.notes(), "created_at", unix(key.createdAt()), "active", key.active(),
                "system_prompt_id", key.systemPromptId(), "allowed_user_ids", key.allowedUserIds(),
                "allowed_emails", key.allowedEmails()));
    }

    private void list(Context ctx) {
        access.admin(ctx, APIKEYS_MANAGE);
        ctx.json(apiKeys.list(QueryParams.string(ctx, "adapter"), QueryParams.bool(ctx, "active_only", false),
                QueryParams.integer(ctx, "limit", 100), QueryParams.integer(ctx, "offset", 0))
                .stream().map(ApiKeyRoutes::listed).toList());
    }

    private void detail(Context ctx) {
        access.admin(ctx, APIKEYS_MANAGE);
        ctx.json(listed(apiKeys.detail(ctx.pathParam("key"))));
    }

    private void status(Context ctx) {
        String path = ctx.pathParam("key");
        String own = access.apiKey(ctx);
        ApiKeyStatus status;
        if (own != null && !own.isEmpty() && ClientKeys.same(own, path)) {
            // A client checking the key it holds (the reference Node client's validateApiKey): no admin needed.
            status = apiKeys.statusOfKey(own, ctx.ip());
        } else {
            access.admin(ctx, APIKEYS_MANAGE);
            status = apiKeys.status(path);
        }
        if (!status.exists()) {
            ctx.json(object("exists", false, "active", false, "adapter_name", null, "message", "API key does not exist"));
            return;
        }
        ApiKeyStatus.PromptLink prompt = status.systemPrompt();
        ctx.json(object("exists", true, "active", status.active(), "adapter_name", status.adapterName(),
                "client_name", status.clientName(), "created_at", iso(status.createdAt()),
                "system_prompt", prompt == null ? null : object("id", prompt.id(), "exists", prompt.exists())));
    }

    private void rename(Context ctx) {
        access.admin(ctx, APIKEYS_MANAGE);
        // The reference CLI sends the new key as a query parameter; other clients send a JSON body.
        String newKey = QueryParams.string(ctx, "new_api_key");
        if (newKey == null) {
            newKey = bodies.read(ctx).requiredString("new_api_key");
        }
        String masked = apiKeys.rename(ctx.pathParam("key"), newKey);
        ctx.json(object("status", "success", "message", "API key renamed successfully", "new_api_key_masked", masked));
    }

    private void update(Context ctx) {
        access.admin(ctx, APIKEYS_MANAGE);
        JsonBody body = bodies.read(ctx);
        apiKeys.update(ctx.pathParam("key"), request(body));
        ctx.json(object("status", "success", "message", "API key updated successfully"));
    }

    private void deactivate(Context ctx) {
        access.admin(ctx, APIKEYS_MANAGE);
        apiKeys.deactivate(ctx.pathParam("key"));
        ctx.json(object("status", "success", "message", "API key deactivated"));
    }

    private void delete(Context ctx) {
        access.admin(ctx, APIKEYS_MANAGE);
        apiKeys.delete(ctx.pathParam("key"));
        ctx.json(object("status", "success", "message", "API key deleted"));
    }

    private void associatePrompt(Context ctx) {
        access.admin(ctx, APIKEYS_MANAGE);
        String promptId = bodies.read(ctx).requiredString("prompt_id");
        apiKeys.associatePrompt(ctx.pathParam("key"), promptId);
        ctx.json(object("status", "success", "message", "System prompt associated with API key"));
    }

    private static ApiKeyRequest request(JsonBody body) {
        return new ApiKeyRequest(body.requiredString("client_name"), body.requiredString("adapter_name"),
                body.optionalString("notes"), body.optionalString("system_prompt_id"),
                body.optionalStringList("allowed_user_ids"), body.optionalStringList("allowed_emails"));
    }

    /** A key as listings and details show it (masked). */
    private static Map<String, Object> listed(ApiKey key) {
        return object("_id", key.id(), "id", key.id(), "api_key", key.maskedKey(), "adapter_name", key.adapterName(),
                "client_name", key.clientName(), "notes", key.notes(), "active", key.active(),
                "created_at", iso(key.createdAt()), "system_prompt_id", key.systemPromptId(),
                "system_prompt_name", key.systemPromptName(), "allowed_user_ids", key.allowedUserIds(),
                "allowed_emails", key.allowedEmails());
    }
}
