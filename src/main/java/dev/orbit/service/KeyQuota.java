package dev.orbit.service;

import java.util.Map;

/**
 * A key's own quota settings as stored on it ({@code quota_daily_limit}, {@code quota_monthly_limit},
 * {@code quota_throttle_enabled}, {@code quota_throttle_priority}, and this project's budgets
 * {@code quota_daily_token_limit}, {@code quota_monthly_token_limit}, {@code quota_monthly_cost_limit} in USD); each
 * null where the configured default applies. A limit of 0 stored here means unlimited for this key.
 */
public record KeyQuota(Long dailyLimit, Long monthlyLimit, Boolean throttleEnabled, Long throttlePriority,
                       Long dailyTokenLimit, Long monthlyTokenLimit, Double monthlyCostLimit) {
    public static final KeyQuota DEFAULTS = new KeyQuota(null, null, null, null, null, null, null);

    /** The stored field of each setting, as PUT names them. */
    static final Map<String, String> FIELDS = Map.of("daily_limit", "quota_daily_limit",
            "monthly_limit", "quota_monthly_limit", "throttle_enabled", "quota_throttle_enabled",
            "throttle_priority", "quota_throttle_priority", "daily_token_limit", "quota_daily_token_limit",
            "monthly_token_limit", "quota_monthly_token_limit", "monthly_cost_limit", "quota_monthly_cost_limit");
}
