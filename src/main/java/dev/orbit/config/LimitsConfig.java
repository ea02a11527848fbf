package dev.orbit.config;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Quotas and rate limits: {@code security.throttling} (per-key daily and monthly request quotas with a progressive
 * delay) and {@code security.rate_limiting} (requests per minute and hour per key and per client address, and the
 * trusted proxies). The reference's keys; {@code cache_key_prefix}, {@code redis_key_prefix},
 * {@code usage_sync_interval_seconds} and {@code retry_after_seconds} are accepted and have no effect (the counters
 * live in the database, not in a cache, and {@code Retry-After} is the time until the refusing window ends).
 */
public record LimitsConfig(Throttling throttling, RateLimiting rateLimiting, TrustedProxies trustedProxies) {
    /** How the delay grows between the threshold and the limit. */
    public enum Curve { EXPONENTIAL, LINEAR }

    /**
     * @param defaultDailyLimit   requests per UTC day of a key without its own limit; null: unlimited
     * @param defaultMonthlyLimit requests per UTC month of a key without its own limit; null: unlimited
     * @param thresholdPercent    use of the fuller quota from which requests are delayed
     * @param priorityMultipliers delay factor per key priority (1 premium .. 10 low), interpolated between entries
     * @param defaultBudgets      tokens per UTC day and month and dollars per month of a key without its own
     */
    public record Throttling(boolean enabled, Long defaultDailyLimit, Long defaultMonthlyLimit, int minDelayMs,
                             int maxDelayMs, Curve curve, int thresholdPercent, Map<Integer, Double> priorityMultipliers,
                             List<String> excludePaths, QuotaHeaders headers, Budgets defaultBudgets) {
        public Throttling {
            priorityMultipliers = Map.copyOf(priorityMultipliers);
            excludePaths = List.copyOf(excludePaths);
        }
    }

    /**
     * Token and cost budgets: tokens per UTC day and month, US dollars per UTC month; each null where unlimited.
     */
    public record Budgets(Long dailyTokens, Long monthlyTokens, Double monthlyCostUsd) {
        public static final Budgets NONE = new Budgets(null, null, null);

        public boolean any() {
            return dailyTokens != null || monthlyTokens != null || monthlyCostUsd != null;
        }
    }

    /** The names of the quota headers ({@code security.throttling.headers.*}). */
    public record QuotaHeaders(String delay, String dailyRemaining, String monthlyRemaining, String dailyReset,
                               String monthlyReset) {
    }

    /** Requests per minute and per hour, for each client address and for each API key. */
    public record RateLimiting(boolean enabled, long ipPerMinute, long ipPerHour, long keyPerMinute, long keyPerHour,
                               List<String> excludePaths) {
        public RateLimiting {
            excludePaths = List.copyOf(excludePaths);
        }
    }

    /** Everything off, no proxy trusted. */
    public static LimitsConfig disabled() {
        return read(ConfigNode.root("defaults", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()));
    }

    /** Reads and checks {@code security.throttling} and {@code security.rate_limiting} of the root. */
    public static LimitsConfig read(ConfigNode root) {
        ConfigNode security = root.section("security");
        ConfigNode rate = security.section("rate_limiting");
        return new LimitsConfig(throttling(security.section("throttling"), rate), rateLimiting(rate), proxies(rate));
    }

    private static Throttling throttling(ConfigNode throttling, ConfigNode rate) {
        ConfigNode quotas = throttling.section("default_quotas");
        ConfigNode delay = throttling.section("delay");
        ConfigNode headers = throttling.section("headers");
        throttling.string("cache_key_prefix"); // accepted for the reference's files; the counters need no cache
        throttling.string("redis_key_prefix");
        throttling.integer("usage_sync_interval_seconds", 60, 1, 86_400);
        int minMs = delay.integer("min_ms", 100, 0, 60_000);
        int maxMs = delay.integer("max_ms", 5000, 0, 60_000);
        if (maxMs < minMs) {
            throw delay.error("max_ms", "must not be below min_ms (" + minMs + "), got " + maxMs);
        }
        List<String> exclude = new java.util.ArrayList<>(rate.stringList("exclude_paths"));
        exclude.addAll(throttling.stringList("exclude_paths"));
        return new Throttling(throttling.bool("enabled", false),
                limit(quotas, "daily_limit", 10_000), limit(quotas, "monthly_limit", 100_000),
                minMs, maxMs, delay.choice("curve", Curve.class, Curve.EXPONENTIAL),
                delay.integer("threshold_percent", 70, 0, 100),
                multipliers(throttling.section("priority_multipliers")), exclude,
                new QuotaHeaders(headers.headerName("delay", "X-Throttle-Delay"),
                        headers.headerName("daily_remaining", "X-Quota-Daily-Remaining"),
                        headers.headerName("monthly_remaining", "X-Quota-Monthly-Remaining"),
                        headers.headerName("daily_reset", "X-Quota-Daily-Reset"),
                        headers.headerName("monthly_reset", "X-Quota-Monthly-Reset")),
                new Budgets(limit(quotas, "daily_token_limit", 0), limit(quotas, "monthly_token_limit", 0),
                        costLimit(quotas, "monthly_cost_limit")));
    }

    /** A default cost budget in US dollars: absent or 0 means unlimited (null). */
    private static Double costLimit(ConfigNode quotas, String key) {
        String text = quotas.string(key).orElse(null);
        if (text == null) {
            return null;
        }
        try {
            double usd = Double.parseDouble(text.strip());
            if (Double.isFinite(usd) && usd >= 0) {
                return usd == 0 ? null : usd;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw quotas.error(key, "expected an amount of US dollars >= 0 (0: unlimited), got '" + text + "'");
    }

    /** A default quota: 0 means unlimited (null). */
    private static Long limit(ConfigNode quotas, String key, long defaultValue) {
        long value = quotas.longInteger(key, defaultValue, 0, Long.MAX_VALUE - 1);
        return value == 0 ? null : value;
    }

    private static Map<Integer, Double> multipliers(ConfigNode node) {
        Map<Integer, Double> multipliers = new TreeMap<>();
        for (String key : node.keys()) {
            int priority;
            try {
                priority = Integer.parseInt(key.strip());
            } catch (NumberFormatException e) {
                throw node.error(key, "expected a priority from 1 to 10 as the key");
            }
            if (priority < 1 || priority > 10) {
                throw node.error(key, "expected a priority from 1 to 10 as the key");
            }
            String text = node.requiredString(key);
            try {
                double factor = Double.parseDouble(text.strip());
                if (factor >= 0 && factor <= 100) {
                    multipliers.put(priority, factor);
                    continue;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw node.error(key, "expected a delay factor from 0 to 100, got '" + text + "'");
        }
        return multipliers.isEmpty() ? Map.of(1, 0.5, 5, 1.0, 10, 2.0) : multipliers;
    }

    private static RateLimiting rateLimiting(ConfigNode rate) {
        ConfigNode ip = rate.section("ip_limits");
        ConfigNode key = rate.section("api_key_limits");
        rate.integer("retry_after_seconds", 60, 1, 86_400); // Retry-After here is the time until the window ends
        return new RateLimiting(rate.bool("enabled", false),
                ip.longInteger("requests_per_minute", 60, 1, Long.MAX_VALUE - 1),
                ip.longInteger("requests_per_hour", 1000, 1, Long.MAX_VALUE - 1),
                key.longInteger("requests_per_minute", 120, 1, Long.MAX_VALUE - 1),
                key.longInteger("requests_per_hour", 5000, 1, Long.MAX_VALUE - 1),
                rate.stringList("exclude_paths"));
    }

    private static TrustedProxies proxies(ConfigNode rate) {
        List<String> entries = rate.stringList("trusted_proxies");
        boolean trust = rate.bool("trust_proxy_headers", !entries.isEmpty());
        if (trust && entries.isEmpty()) {
            throw rate.error("trusted_proxies", "trust_proxy_headers needs the proxies' addresses or CIDRs here"
                    + " (trusting X-Forwarded-For from anyone would let every client choose its address)");
        }
        if (!trust) {
            return TrustedProxies.NONE;
        }
        try {
            return TrustedProxies.parse(entries);
        } catch (IllegalArgumentException e) {
            throw rate.error("trusted_proxies", e.getMessage());
        }
    }
}
