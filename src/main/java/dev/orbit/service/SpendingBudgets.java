package dev.orbit.service;

import dev.orbit.config.LimitsConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A key's token budgets (per UTC day and month) and cost budget (US dollars per UTC month), on the shared counters
 * beside its request counts: {@link #check} before a turn refuses a key whose budget is spent, {@link #spend} after
 * it adds the turn's tokens and cost. The counts are exact across gateways (each turn is one atomic increment), but a
 * budget cannot be exact before the tokens are known: every turn admitted while the budget was not yet spent adds its
 * tokens, so a budget is overshot by at most the turns in flight when it runs out (on every gateway together).
 * Tokens and cost are counted for a key while a budget is in force on it; cost is kept in nano-dollars, each turn's
 * rounded up.
 */
final class SpendingBudgets {
    /** A spent budget, as the 429 names it. */
    record Spent(String name, Number used, Number limit, Instant resetAt) {
    }

    /** What a key has spent in the current day and month. */
    record Spending(long dailyTokens, long monthlyTokens, double monthlyCostUsd) {
    }

    private static final double NANOS_PER_USD = 1e9;
    /** The most one turn adds: a month of such sums stays far inside a 64-bit counter on every backend. */
    static final long MAX_TOKENS_PER_TURN = 1L << 40;
    static final double MAX_USD_PER_TURN = 1_000_000;

    private final SharedCounters counters;

    SpendingBudgets(SharedCounters counters) {
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    static String tokenSubject(ApiKey key) {
        return "tokens:" + QuotaService.subject(key);
    }

    static String costSubject(ApiKey key) {
        return "cost:" + QuotaService.subject(key);
    }

    /** The counters the budgets of {@code key} count on, in the order of {@link Spending}'s fields. */
    private static List<SharedCounters.Take> takes(ApiKey key) {
        return List.of(SharedCounters.Take.unlimited(tokenSubject(key), CounterWindow.DAY),
                SharedCounters.Take.unlimited(tokenSubject(key), CounterWindow.MONTH),
                SharedCounters.Take.unlimited(costSubject(key), CounterWindow.MONTH));
    }

    /** The key's tokens and cost of the current day and month (one read). */
    Spending spending(ApiKey key, Instant now) {
        List<SharedCounters.Take> takes = takes(key);
        Map<SharedCounters.Take, Long> counts = counters.counts(takes, now);
        return new Spending(counts.get(takes.get(0)), counts.get(takes.get(1)), counts.get(takes.get(2)) / NANOS_PER_USD);
    }

    /** The first budget in force that the key has spent (null: none, or no budget in force; then nothing is read). */
    Spent check(ApiKey key, LimitsConfig.Budgets budgets, Instant now) {
        if (!budgets.any()) {
            return null;
        }
        Spending spent = spending(key, now);
        if (budgets.dailyTokens() != null && spent.dailyTokens() >= budgets.dailyTokens()) {
            return new Spent("daily_tokens", spent.dailyTokens(), budgets.dailyTokens(), CounterWindow.DAY.end(now));
        }
        if (budgets.monthlyTokens() != null && spent.monthlyTokens() >= budgets.monthlyTokens()) {
            return new Spent("monthly_tokens", spent.monthlyTokens(), budgets.monthlyTokens(),
                    CounterWindow.MONTH.end(now));
        }
        if (budgets.monthlyCostUsd() != null && spent.monthlyCostUsd() >= budgets.monthlyCostUsd()) {
            return new Spent("monthly_cost", spent.monthlyCostUsd(), budgets.monthlyCostUsd(),
                    CounterWindow.MONTH.end(now));
        }
        return null;
    }

    /** Adds a finished turn's tokens and cost to the key's counters, when a budget is in force on it. */
    void spend(ApiKey key, LimitsConfig.Budgets budgets, long tokens, double costUsd, Instant now) {
        if (!budgets.any() || (tokens <= 0 && costUsd <= 0)) {
            return;
        }
        List<SharedCounters.Add> adds = new ArrayList<>(3);
        // A provider may report any count: one turn adds at most MAX_TOKENS_PER_TURN and MAX_USD_PER_TURN, so that
        // a month of sums stays far inside a 64-bit counter on every backend (an overflowing $inc fails there).
        long counted = Math.min(tokens, MAX_TOKENS_PER_TURN);
        if (counted > 0) {
            adds.add(new SharedCounters.Add(tokenSubject(key), CounterWindow.DAY, counted));
            adds.add(new SharedCounters.Add(tokenSubject(key), CounterWindow.MONTH, counted));
        }
        long nanos = (long) Math.ceil(Math.min(costUsd, MAX_USD_PER_TURN) * NANOS_PER_USD);
        if (nanos > 0) {
            adds.add(new SharedCounters.Add(costSubject(key), CounterWindow.MONTH, nanos));
        }
        counters.add(adds, now);
    }
}
