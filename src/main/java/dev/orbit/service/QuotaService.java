package dev.orbit.service;

import dev.orbit.config.LimitsConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Per-key request quotas per UTC day and month ({@code orbit-api-next.md} §3): each key's own limits, else
 * {@code security.throttling.default_quotas}; usage read from the shared counters, so every gateway reports and
 * enforces the same numbers. Limits are read with the key (the key cache: at most 2 s stale on another gateway).
 */
public final class QuotaService {
    public static final String UNAVAILABLE =
            "Quota service is not available. Ensure throttling is enabled in configuration.";
    static final List<CounterWindow> PERIODS = List.of(CounterWindow.DAY, CounterWindow.MONTH);
    private static final long DEFAULT_PRIORITY = 5;

    /** A key's quota in force: limits and budgets null where unlimited. */
    public record Quota(Long dailyLimit, Long monthlyLimit, boolean throttleEnabled, long throttlePriority,
                        LimitsConfig.Budgets budgets) {
        Long limit(CounterWindow window) {
            return window == CounterWindow.DAY ? dailyLimit : monthlyLimit;
        }
    }

    /**
     * Requests counted in the current day and month, when they reset, and the last counted request; tokens of the
     * day and month and dollars of the month (counted while a budget is in force on the key).
     */
    public record Usage(long dailyUsed, long monthlyUsed, Instant dailyResetAt, Instant monthlyResetAt,
                        Instant lastRequestAt, long dailyTokensUsed, long monthlyTokensUsed, double monthlyCostUsed) {
    }

    /** What {@code GET /admin/api-keys/{id}/quota} shows; remaining counts null where unlimited. */
    public record KeyReport(ApiKey key, Quota quota, Usage usage, Long dailyRemaining, Long monthlyRemaining,
                            Long dailyTokensRemaining, Long monthlyTokensRemaining, Double monthlyCostRemaining,
                            long throttleDelayMs) {
    }

    /** One line of the usage report. */
    public record ReportLine(ApiKey key, String period, long used, Long limit, Quota quota) {
    }

    private final LimitsConfig.Throttling settings;
    private final ApiKeyService apiKeys;
    private final SharedCounters counters;
    private final ThrottleDelay delay;
    private final SpendingBudgets budgets;
    private final Clock clock;

    public QuotaService(LimitsConfig.Throttling settings, ApiKeyService apiKeys, SharedCounters counters, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.delay = new ThrottleDelay(settings);
        this.budgets = new SpendingBudgets(counters);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public boolean enabled() {
        return settings.enabled();
    }

    public LimitsConfig.Throttling settings() {
        return settings;
    }

    /** The quota in force for the key: its own settings, else the defaults (a stored limit of 0: unlimited). */
    public Quota quotaOf(ApiKey key) {
        KeyQuota own = key.quota();
        LimitsConfig.Budgets defaults = settings.defaultBudgets();
        return new Quota(limit(own.dailyLimit(), settings.defaultDailyLimit()),
                limit(own.monthlyLimit(), settings.defaultMonthlyLimit()),
                own.throttleEnabled() == null || own.throttleEnabled(),
                own.throttlePriority() == null ? DEFAULT_PRIORITY : own.throttlePriority(),
                new LimitsConfig.Budgets(limit(own.dailyTokenLimit(), defaults.dailyTokens()),
                        limit(own.monthlyTokenLimit(), defaults.monthlyTokens()),
                        own.monthlyCostLimit() == null ? defaults.monthlyCostUsd()
                                : own.monthlyCostLimit() == 0 ? null : own.monthlyCostLimit()));
    }

    /** The first of the key's budgets in force that is spent, before a turn; null when none is. */
    SpendingBudgets.Spent spentBudget(ApiKey key, Quota quota, Instant now) {
        return budgets.check(key, quota.budgets(), now);
    }

    /**
     * Counts a finished turn's tokens and cost (US dollars) against the key's budgets, when throttling is on and a
     * budget is in force on the key; nothing otherwise.
     */
    public void spent(ApiKey key, long tokens, double costUsd) {
        if (settings.enabled()) {
            budgets.spend(key, quotaOf(key).budgets(), tokens, costUsd, clock.instant());
        }
    }

    /** The counter subject of a key's requests (quotas and the per-key rate limit). */
    static String subject(ApiKey key) {
        return "key:" + key.id();
    }

    /** The delay for a key with this quota after {@code daily}/{@code monthly} requests of the current periods. */
    long delayMillis(Quota quota, long daily, long monthly) {
        if (!quota.throttleEnabled()) {
            return 0;
        }
        double used = Math.max(fraction(daily, quota.dailyLimit()), fraction(monthly, quota.monthlyLimit()));
        return delay.millis(used, quota.throttlePriority());
    }

    /** The key's quota, usage and current delay; 404 for an unknown key, 503 while throttling is off. */
    public KeyReport get(String idOrKey) {
        requireEnabled();
        ApiKey key = apiKeys.detail(idOrKey);
        Instant now = clock.instant();
        Quota quota = quotaOf(key);
        Map<CounterWindow, Long> used = used(key, now);
        long daily = used.get(CounterWindow.DAY);
        long monthly = used.get(CounterWindow.MONTH);
        SpendingBudgets.Spending spending = budgets.spending(key, now);
        Usage usage = new Usage(daily, monthly, CounterWindow.DAY.end(now), CounterWindow.MONTH.end(now),
                counters.lastRaised(subject(key), PERIODS, now), spending.dailyTokens(), spending.monthlyTokens(),
                spending.monthlyCostUsd());
        LimitsConfig.Budgets limits = quota.budgets();
        Double costRemaining = limits.monthlyCostUsd() == null ? null
                : Math.max(0, limits.monthlyCostUsd() - spending.monthlyCostUsd());
        return new KeyReport(key, quota, usage, remaining(quota.dailyLimit(), daily),
                remaining(quota.monthlyLimit(), monthly), remaining(limits.dailyTokens(), spending.dailyTokens()),
                remaining(limits.monthlyTokens(), spending.monthlyTokens()), costRemaining,
                delayMillis(quota, daily, monthly));
    }

    /**
     * Changes the settings named (others kept): limits are whole numbers >= 0 (0: unlimited), the cost budget a
     * number of dollars >= 0 (0: unlimited), the priority 1..10; a null value removes the key's own setting so that
     * the default applies. 422 for a bad value, 404, 503.
     */
    public void set(String idOrKey, Map<String, Object> changes) {
        requireEnabled();
        Map<String, Object> checked = new LinkedHashMap<>();
        changes.forEach((name, value) -> checked.put(name, check(name, value)));
        apiKeys.updateQuota(idOrKey, checked);
    }

    /**
     * Starts the key's current day, month or both ({@code all}, which also forgets its last request) afresh: its
     * requests, and its tokens and cost of those periods.
     */
    public void reset(String idOrKey, String period) {
        requireEnabled();
        List<CounterWindow> windows = switch (period == null ? "daily" : period) {
            case "daily" -> List.of(CounterWindow.DAY);
            case "monthly" -> List.of(CounterWindow.MONTH);
            case "all" -> PERIODS;
            default -> throw new ServiceException.Unprocessable("period", "period must be daily, monthly or all");
        };
        ApiKey key = apiKeys.detail(idOrKey);
        Instant now = clock.instant();
        counters.reset(subject(key), windows, now);
        counters.reset(SpendingBudgets.tokenSubject(key), windows, now);
        if (windows.contains(CounterWindow.MONTH)) {
            counters.reset(SpendingBudgets.costSubject(key), List.of(CounterWindow.MONTH), now);
        }
    }

    /** Usage of up to {@code limit} (1..1000) active keys in the current day or month, newest keys first. */
    public List<ReportLine> report(String period, int limit) {
        requireEnabled();
        CounterWindow window = switch (period == null ? "daily" : period) {
            case "daily" -> CounterWindow.DAY;
            case "monthly" -> CounterWindow.MONTH;
            default -> throw new ServiceException.Unprocessable("period", "period must be daily or monthly");
        };
        if (limit < 1 || limit > 1000) {
            throw new ServiceException.Unprocessable("limit", "limit must be between 1 and 1000");
        }
        List<ApiKey> keys = apiKeys.list(null, true, limit, 0);
        List<SharedCounters.Take> takes = keys.stream().map(k -> SharedCounters.Take.unlimited(subject(k), window))
                .toList();
        Map<SharedCounters.Take, Long> used = counters.counts(takes, clock.instant());
        List<ReportLine> lines = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            Quota quota = quotaOf(keys.get(i));
            lines.add(new ReportLine(keys.get(i), window.label(), used.get(takes.get(i)), quota.limit(window), quota));
        }
        return lines;
    }

    private Map<CounterWindow, Long> used(ApiKey key, Instant now) {
        List<SharedCounters.Take> takes = PERIODS.stream().map(w -> SharedCounters.Take.unlimited(subject(key), w))
                .toList();
        Map<SharedCounters.Take, Long> counts = counters.counts(takes, now);
        return Map.of(CounterWindow.DAY, counts.get(takes.get(0)), CounterWindow.MONTH, counts.get(takes.get(1)));
    }

    private void requireEnabled() {
        if (!settings.enabled()) {
            throw new ServiceException.Unavailable(UNAVAILABLE);
        }
    }

    private static Object check(String name, Object value) {
        if (value == null) {
            return null;
        }
        return switch (name) {
            case "daily_limit", "monthly_limit", "daily_token_limit", "monthly_token_limit" -> {
                if (!(value instanceof Long n) || n < 0) {
                    throw new ServiceException.Unprocessable(name, name + " must be a whole number >= 0"
                            + " (0: unlimited) or null (the default)");
                }
                yield n;
            }
            case "monthly_cost_limit" -> {
                double usd = value instanceof Long n ? n : value instanceof Double d ? d : -1;
                if (!Double.isFinite(usd) || usd < 0) {
                    throw new ServiceException.Unprocessable(name, name + " must be a number of US dollars >= 0"
                            + " (0: unlimited) or null (the default)");
                }
                yield usd;
            }
            case "throttle_enabled" -> {
                if (!(value instanceof Boolean b)) {
                    throw new ServiceException.Unprocessable(name, name + " must be true, false or null");
                }
                yield b;
            }
            case "throttle_priority" -> {
                if (!(value instanceof Long n) || n < 1 || n > 10) {
                    throw new ServiceException.Unprocessable(name, name + " must be a whole number from 1 to 10");
                }
                yield n;
            }
            default -> throw new ServiceException.Unprocessable(name, "unknown quota setting " + name);
        };
    }

    static Long remaining(Long limit, long used) {
        return limit == null ? null : Math.max(0, limit - used);
    }

    private static double fraction(long used, Long limit) {
        return limit == null || limit <= 0 ? 0 : used / (double) limit;
    }

    private static Long limit(Long own, Long defaultLimit) {
        if (own == null) {
            return defaultLimit;
        }
        return own == 0 ? null : own;
    }
}
