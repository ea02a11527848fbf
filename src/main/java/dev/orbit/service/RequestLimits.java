package dev.orbit.service;

import dev.orbit.config.LimitsConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Admits a chat request against its key's quotas (requests per UTC day and month) and the rate limits (requests per
 * minute and hour per key and per client address): every counter is raised in one all-or-nothing step on the
 * shared counters, so several gateways on one database enforce one limit, and a refused request counts nowhere.
 */
public final class RequestLimits {
    /** One rate-limit window as the {@code X-RateLimit-*} headers show it. */
    public record RateWindow(long limit, long remaining, Instant reset) {
    }

    /** The quota as the {@code X-Quota-*} headers show it; remaining counts null where unlimited. */
    public record QuotaState(Long dailyRemaining, Long monthlyRemaining, Instant dailyReset, Instant monthlyReset) {
    }

    /**
     * The outcome: admitted (after {@code delayMs} of throttling) or refused with {@code detail}, the extra body
     * {@code fields} and when to retry. {@code quota} is null when quotas are off, {@code rate} when rate limits are.
     */
    public record Admission(boolean admitted, String detail, Map<String, Object> fields, Duration retryAfter,
                            QuotaState quota, RateWindow rate, long delayMs) {
    }

    private final QuotaService quotas;
    private final LimitsConfig.RateLimiting rates;
    private final SharedCounters counters;
    private final Clock clock;

    public RequestLimits(QuotaService quotas, LimitsConfig.RateLimiting rates, SharedCounters counters, Clock clock) {
        this.quotas = Objects.requireNonNull(quotas, "quotas");
        this.rates = Objects.requireNonNull(rates, "rates");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public boolean quotasEnabled() {
        return quotas.enabled();
    }

    public boolean rateLimitsEnabled() {
        return rates.enabled();
    }

    /**
     * Counts one request of {@code key} from {@code clientAddress} (null: no per-address limit) against the quota
     * ({@code quota}) and the rate limits ({@code rate}), or refuses it without counting it anywhere.
     */
    public Admission admit(ApiKey key, String clientAddress, boolean quota, boolean rate) {
        Instant now = clock.instant();
        String subject = QuotaService.subject(key);
        List<SharedCounters.Take> takes = new ArrayList<>(6);
        QuotaService.Quota limits = null;
        if (quota) {
            limits = quotas.quotaOf(key);
            SpendingBudgets.Spent spent = quotas.spentBudget(key, limits, now);
            if (spent != null) {
                return budgetSpent(spent, now);
            }
            takes.add(take(subject, CounterWindow.DAY, limits.dailyLimit()));
            takes.add(take(subject, CounterWindow.MONTH, limits.monthlyLimit()));
        }
        int firstRate = takes.size();
        if (rate) {
            takes.add(new SharedCounters.Take(subject, CounterWindow.MINUTE, rates.keyPerMinute()));
            takes.add(new SharedCounters.Take(subject, CounterWindow.HOUR, rates.keyPerHour()));
            String address = ClientAddresses.throttleKey(clientAddress);
            if (address != null) {
                String ip = "ip:" + FailureCounter.bounded(address);
                takes.add(new SharedCounters.Take(ip, CounterWindow.MINUTE, rates.ipPerMinute()));
                takes.add(new SharedCounters.Take(ip, CounterWindow.HOUR, rates.ipPerHour()));
            }
        }
        if (takes.isEmpty()) {
            return new Admission(true, null, Map.of(), Duration.ZERO, null, null, 0);
        }
        SharedCounters.Outcome outcome = counters.take(takes, now);
        List<SharedCounters.Take> refused = outcome.refused();
        Map<SharedCounters.Take, Long> counts = outcome.counts();
        QuotaState quotaState = null;
        long delay = 0;
        if (limits != null) {
            long daily = counts.get(takes.get(0));
            long monthly = counts.get(takes.get(1));
            quotaState = new QuotaState(QuotaService.remaining(limits.dailyLimit(), daily),
                    QuotaService.remaining(limits.monthlyLimit(), monthly), CounterWindow.DAY.end(now),
                    CounterWindow.MONTH.end(now));
            delay = refused.isEmpty() ? quotas.delayMillis(limits, daily, monthly) : 0;
        }
        List<SharedCounters.Take> rateTakes = takes.subList(firstRate, takes.size());
        RateWindow rateWindow = rateTakes.stream()
                .map(t -> new RateWindow(t.limit(), refused.contains(t) ? 0 : Math.max(0, t.limit() - counts.get(t)),
                        t.window().end(now)))
                .min(Comparator.comparingLong(RateWindow::remaining)).orElse(null);
        if (refused.isEmpty()) {
            return new Admission(true, null, Map.of(), Duration.ZERO, quotaState, rateWindow, delay);
        }
        SharedCounters.Take first = refused.stream().min(Comparator.comparingInt(takes::indexOf)).orElseThrow();
        Instant reset = first.window().end(now);
        Duration retryAfter = Duration.between(now, reset);
        if (takes.indexOf(first) < firstRate) {
            String period = first.window().label();
            return new Admission(false, "Quota exceeded (" + period + "). Please wait for quota reset at " + reset
                    + " (UTC).", quotaFields(period, quotaState), retryAfter, quotaState, rateWindow, 0);
        }
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        String who = first.subject().startsWith("ip:") ? "this client address" : "this API key";
        RateWindow refusing = new RateWindow(first.limit(), 0, reset);
        return new Admission(false, "Rate limit exceeded (" + first.limit() + " requests per "
                + first.window().name().toLowerCase(java.util.Locale.ROOT) + " for " + who + "). Please retry after "
                + seconds + " seconds.", Map.of("retry_after", seconds), retryAfter, quotaState, refusing, 0);
    }

    /**
     * The refusal of a key whose token or cost budget is spent, checked before any counter is raised (so it counts
     * nowhere); shaped as a request quota's: {@code detail}, {@code quota_exceeded} naming the budget, what was used
     * of which limit, and when it resets.
     */
    private static Admission budgetSpent(SpendingBudgets.Spent spent, Instant now) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("quota_exceeded", spent.name());
        fields.put("used", spent.used());
        fields.put("limit", spent.limit());
        fields.put("reset_at", spent.resetAt().getEpochSecond());
        String unit = spent.name().endsWith("_cost") ? " USD" : " tokens";
        return new Admission(false, "Quota exceeded (" + spent.name() + ": " + spent.used() + " of " + spent.limit()
                + unit + "). Please wait for quota reset at " + spent.resetAt() + " (UTC).", fields,
                Duration.between(now, spent.resetAt()), null, null, 0);
    }

    private static Map<String, Object> quotaFields(String period, QuotaState state) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("quota_exceeded", period);
        fields.put("daily_remaining", state.dailyRemaining());
        fields.put("monthly_remaining", state.monthlyRemaining());
        fields.put("daily_reset_at", state.dailyReset().getEpochSecond());
        fields.put("monthly_reset_at", state.monthlyReset().getEpochSecond());
        return fields;
    }

    private static SharedCounters.Take take(String subject, CounterWindow window, Long limit) {
        return limit == null ? SharedCounters.Take.unlimited(subject, window)
                : new SharedCounters.Take(subject, window, limit);
    }
}
