package dev.orbit.http;

import static dev.orbit.http.Json.object;
import static dev.orbit.http.Json.unix;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orbit.service.QuotaService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /admin/api-keys/{key}/quota*} and {@code /admin/quotas/usage-report} ({@code apikeys.manage};
 * {@code orbit-api-next.md} §3). {@code {key}} is the record id or the key itself, as for the other key routes.
 */
final class QuotaRoutes {
    private static final String APIKEYS_MANAGE = "apikeys.manage";
    private static final List<String> SETTINGS = List.of("daily_limit", "monthly_limit", "throttle_enabled",
            "throttle_priority", "daily_token_limit", "monthly_token_limit", "monthly_cost_limit");

    private final QuotaService quotas;
    private final Access access;
    private final JsonBodies bodies;

    QuotaRoutes(QuotaService quotas, Access access, JsonBodies bodies) {
        this.quotas = quotas;
        this.access = access;
        this.bodies = bodies;
    }

    void register(RoutesConfig routes) {
        routes.get("/admin/api-keys/{key}/quota", this::get);
        routes.put("/admin/api-keys/{key}/quota", this::set);
        routes.post("/admin/api-keys/{key}/quota/reset", this::reset);
        routes.get("/admin/quotas/usage-report", this::report);
    }

    private void get(Context ctx) {
        access.admin(ctx, APIKEYS_MANAGE);
        QuotaService.KeyReport report = quotas.get(ctx.pathParam("key"));
        QuotaService.Usage usage = report.usage();
        ctx.json(object("api_key_masked", report.key().maskedKey(),
                "quota", quota(report.quota()),
                "usage", object("daily_used", usage.dailyUsed(), "monthly_used", usage.monthlyUsed(),
                        "daily_reset_at", unix(usage.dailyResetAt()), "monthly_reset_at", unix(usage.monthlyResetAt()),
                        "last_request_at", usage.lastRequestAt() == null ? null : unix(usage.lastRequestAt()),
                        "daily_tokens_used", usage.dailyTokensUsed(), "monthly_tokens_used", usage.monthlyTokensUsed(),
                        "monthly_cost_used", usage.monthlyCostUsed()),
                "daily_remaining", report.dailyRemaining(), "monthly_remaining", report.monthlyRemaining(),
                "daily_tokens_remaining", report.dailyTokensRemaining(),
                "monthly_tokens_remaining", report.monthlyTokensRemaining(),
                "monthly_cost_remaining", report.monthlyCostRemaining(),
                "throttle_delay_ms", report.throttleDelayMs()));
    }

    private void set(Context ctx) {
        access.admin(ctx, APIKEYS_MANAGE);
        JsonBody body = bodies.read(ctx);
        Map<String, Object> changes = new LinkedHashMap<>();
        for (Iterator<String> names = body.tree().fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!SETTINGS.contains(name)) {
                throw new RequestValidationException(List.of("body", name), "Unknown quota setting; expected one of "
                        + String.join(", ", SETTINGS), "extra_forbidden");
            }
            changes.put(name, value(body.tree().get(name), name));
        }
        quotas.set(ctx.pathParam("key"), changes);
        ctx.json(object("status", "success", "message", "Quota configuration updated successfully"));
    }

    private void reset(Context ctx) {
        access.admin(ctx, APIKEYS_MANAGE);
        String period = QueryParams.string(ctx, "period");
        String chosen = period == null ? "daily" : period;
        quotas.reset(ctx.pathParam("key"), chosen);
        ctx.json(object("status", "success", "message", "Quota usage (" + chosen + ") reset successfully"));
    }

    private void report(Context ctx) {
        access.admin(ctx, APIKEYS_MANAGE);
        String period = QueryParams.string(ctx, "period");
        List<QuotaService.ReportLine> lines = quotas.report(period, QueryParams.integer(ctx, "limit", 100));
        List<Map<String, Object>> usage = lines.stream().map(line -> object("api_key_id", line.key().id(),
                "api_key_masked", line.key().maskedKey(),
                "client_name", line.key().clientName(), "adapter_name", line.key().adapterName(), "period", line.period(),
                "used", line.used(), "limit", line.limit(), "throttle_enabled", line.quota().throttleEnabled(),
                "throttle_priority", line.quota().throttlePriority())).toList();
        ctx.json(object("period", period == null ? "daily" : period, "total_keys", usage.size(), "usage", usage));
    }

    private static Map<String, Object> quota(QuotaService.Quota quota) {
        return object("daily_limit", quota.dailyLimit(), "monthly_limit", quota.monthlyLimit(),
                "throttle_enabled", quota.throttleEnabled(), "throttle_priority", quota.throttlePriority(),
                "daily_token_limit", quota.budgets().dailyTokens(), "monthly_token_limit", quota.budgets().monthlyTokens(),
                "monthly_cost_limit", quota.budgets().monthlyCostUsd());
    }

    /**
     * The JSON value as the service checks it: null, a whole number as Long, a boolean, an amount of dollars as Long
     * or Double; else a 422 here.
     */
    private static Object value(JsonNode node, String name) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (name.equals("throttle_enabled")) {
            if (!node.isBoolean()) {
                throw JsonBody.wrongType(List.of("body", name), "bool");
            }
            return node.booleanValue();
        }
        if (name.equals("monthly_cost_limit")) {
            if (!node.isNumber()) {
                throw JsonBody.wrongType(List.of("body", name), "float");
            }
            return node.isIntegralNumber() && node.canConvertToLong() ? (Object) node.longValue() : node.doubleValue();
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw JsonBody.wrongType(List.of("body", name), "int");
        }
        return node.longValue();
    }
}
