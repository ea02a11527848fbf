package dev.orbit.http;

import static dev.orbit.http.Json.object;

import dev.orbit.config.AdapterCapabilities;
import dev.orbit.inference.Adapter;
import dev.orbit.inference.AdapterRegistry;
import dev.orbit.service.Readiness;
import dev.orbit.service.ServiceException;
import dev.orbit.service.ValidatedApiKey;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What chat clients discover with their API key before chatting: the key's adapter ({@code /admin/adapters/info},
 * which the reference chat app needs to enable its message box), the models and skills it may pick, the OpenAI
 * model list ({@code /v1/models}), and {@code /health/ready}. The key's own adapter always answers, whatever
 * adapter name a path carries (the chat app sends its card id there).
 */
final class ClientRoutes {
    static final String SKILLS_NONE = "This gateway has no skills";

    private final ClientKeys keys;
    private final AdapterRegistry adapters;
    private final Readiness readiness;

    ClientRoutes(ClientKeys keys, AdapterRegistry adapters, Readiness readiness) {
        this.keys = keys;
        this.adapters = adapters;
        this.readiness = readiness;
    }

    void register(RoutesConfig routes) {
        routes.get("/admin/adapters/info", this::info);
        routes.get("/admin/api-keys/info", this::info);
        routes.get("/admin/models", this::allModels);
        routes.get("/admin/adapters/{name}/models", this::adapterModels);
        routes.get("/admin/skills", this::allSkills);
        routes.get("/admin/adapter-skills", this::allSkills);
        routes.get("/admin/adapters/{name}/skills", this::adapterSkills);
        routes.get("/v1/models", this::openAiModels);
        routes.get("/v1/models/{model}", this::openAiModel);
        routes.get("/health/ready", this::ready);
    }

    private void info(Context ctx) {
        ValidatedApiKey key = keys.headerKey(ctx);
        Adapter adapter = adapterOf(key);
        AdapterCapabilities caps = capabilitiesOf(adapter);
        ctx.json(object("client_name", key.key().clientName(), "adapter_name", adapter.name(),
                "notes", key.key().notes(), "model", adapter.model(), "isFileSupported", caps.supportsFileIds(),
                "supportsThreading", caps.supportsThreading(), "supportsRealtimeVoice", caps.supportsRealtimeAudio()));
    }

    /** Each (provider, model) of the enabled adapters once. */
    private void allModels(Context ctx) {
        keys.headerKey(ctx);
        Map<String, Map<String, Object>> models = new LinkedHashMap<>();
        for (Adapter adapter : adapters.list()) {
            if (adapter.enabled()) {
                models.putIfAbsent(adapter.providerName() + "\n" + adapter.model(),
                        model(adapter.providerName(), adapter.model()));
            }
        }
        ctx.json(object("models", List.copyOf(models.values())));
    }

    private void adapterModels(Context ctx) {
        Adapter adapter = adapterOf(keys.headerKey(ctx));
        String skill = QueryParams.string(ctx, "skill");
        if (skill != null && !skill.isBlank()) {
            throw new ServiceException.NotFound(SKILLS_NONE);
        }
        List<String> allowed = capabilitiesOf(adapter).allowedModels();
        List<String> names = allowed.isEmpty() ? List.of(adapter.model()) : allowed;
        List<Map<String, Object>> models = new ArrayList<>();
        names.forEach(name -> models.add(model(adapter.providerName(), name)));
        ctx.json(object("adapter_name", adapter.name(), "has_restrictions", !allowed.isEmpty(), "models", models));
    }

    // No adapter here has skills: the lists are honestly empty rather than missing (which clients log as errors).
    private void allSkills(Context ctx) {
        keys.headerKey(ctx);
        ctx.json(object("skills", List.of()));
    }

    private void adapterSkills(Context ctx) {
        Adapter adapter = adapterOf(keys.headerKey(ctx));
        ctx.json(object("adapter_name", adapter.name(), "available_skills", List.of()));
    }

    /** OpenAI's model list: the key's adapter, the one model this key may chat with. */
    private void openAiModels(Context ctx) {
        ValidatedApiKey key = keys.headerOrBearerKey(ctx);
        ctx.json(object("object", "list", "data", List.of(openAiModel(key, adapterOf(key)))));
    }

    private void openAiModel(Context ctx) {
        ValidatedApiKey key = keys.headerOrBearerKey(ctx);
        Adapter adapter = adapterOf(key);
        if (!adapter.name().equals(ctx.pathParam("model"))) {
            throw new ServiceException.NotFound("The model '" + ctx.pathParam("model") + "' does not exist");
        }
        ctx.json(openAiModel(key, adapter));
    }

    /**
     * 200 when the database answers and every enabled adapter is usable (they are built at start-up; a provider
     * that is down shows in chat replies, not here); 503 when the database does not answer.
     */
    private void ready(Context ctx) {
        if (!readiness.databaseAnswers()) {
            ctx.status(503).json(object("ready", false, "reason", "Database unavailable"));
            return;
        }
        long enabled = adapters.list().stream().filter(Adapter::enabled).count();
        if (enabled == 0) {
            ctx.json(object("ready", true, "reason", "No adapters configured"));
            return;
        }
        ctx.json(object("ready", true, "healthy_ratio", 1.0, "healthy_adapters", enabled, "total_adapters", enabled));
    }

    private Adapter adapterOf(ValidatedApiKey key) {
        return adapters.findEnabled(key.key().adapterName())
                .orElseThrow(() -> new ServiceException.NotFound("Adapter configuration not found"));
    }

    private AdapterCapabilities capabilitiesOf(Adapter adapter) {
        return adapters.capabilities(adapter.name());
    }

    private static Map<String, Object> openAiModel(ValidatedApiKey key, Adapter adapter) {
        Instant created = key.key().createdAt();
        return object("id", adapter.name(), "object", "model", "created", created == null ? 0 : created.getEpochSecond(),
                "owned_by", adapter.providerName());
    }

    /** {@code <provider>-<model>} with {@code /} and {@code :} made {@code -}, as the reference names models. */
    private static Map<String, Object> model(String provider, String model) {
        return object("name", (provider + "-" + model).replace('/', '-').replace(':', '-'), "provider", provider,
                "model", model);
    }
}
