package dev.orbit.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Calls summed in memory per usage rollup (a day row and an hour row per key × adapter × provider × model × call
 * type × user), so that writing them raises each rollup with one {@code $inc} however many calls it holds: the
 * rollups are counters, so merging the increments first is exact. One thread owns a tally (not thread-safe).
 */
final class UsageTally {
    private final PriceTable prices;
    private final Map<Rollup, Counts> rollups = new LinkedHashMap<>();
    private long calls;

    UsageTally(PriceTable prices) {
        this.prices = prices;
    }

    /** Which rollup row: {@code hour} is null for a day row. */
    record Rollup(Instant day, Instant hour, String apiKeyHash, String adapterName, String provider, String model,
                  String callType, String userId) {
        /** The stored {@code rollup_key}: SHA-256 of the row's kind, bucket and dimensions (one format, ever). */
        String key() {
            String dimensions = String.join("\u0000", nz(apiKeyHash), nz(adapterName), nz(provider), nz(model),
                    nz(callType), nz(userId));
            String bucket = hour == null ? "d\u0000" + day : "h\u0000" + hour;
            return Secrets.sha256Hex(bucket + "\u0000" + dimensions);
        }

        private static String nz(String value) {
            return value == null ? "" : value;
        }
    }

    /** The calls of one rollup; {@code first} gives the descriptive fields a new row is inserted with. */
    static final class Counts {
        final ChatEvent first;
        long requests;
        long errors;
        long promptTokens;
        long completionTokens;
        double costUsd;
        long unpriced;
        long unreported;

        Counts(ChatEvent first) {
            this.first = first;
        }

        void add(ChatEvent event, PriceTable.Cost cost) {
            requests++;
            errors += event.outcome().isError() ? 1 : 0;
            promptTokens += event.promptTokens();
            completionTokens += event.completionTokens();
            costUsd += cost.usd();
            unpriced += cost.priced() ? 0 : 1;
            unreported += event.usageReported() ? 0 : 1;
        }
    }

    /** Counts the call in its day's row and its hour's row. */
    void add(ChatEvent event) {
        Instant hour = event.timestamp().truncatedTo(ChronoUnit.HOURS);
        Instant day = hour.truncatedTo(ChronoUnit.DAYS);
        PriceTable.Cost cost = prices.cost(event.model(), event.promptTokens(), event.completionTokens());
        count(new Rollup(day, null, event.apiKeyHash(), event.adapterName(), event.provider(), event.model(),
                event.callType(), event.userId()), event, cost);
        count(new Rollup(day, hour, event.apiKeyHash(), event.adapterName(), event.provider(), event.model(),
                event.callType(), event.userId()), event, cost);
        calls++;
    }

    private void count(Rollup rollup, ChatEvent event, PriceTable.Cost cost) {
        rollups.computeIfAbsent(rollup, r -> new Counts(event)).add(event, cost);
    }

    /** The calls counted since the last {@link #clear}. */
    long calls() {
        return calls;
    }

    boolean isEmpty() {
        return calls == 0;
    }

    Map<Rollup, Counts> rollups() {
        return Collections.unmodifiableMap(rollups);
    }

    void clear() {
        rollups.clear();
        calls = 0;
    }
}
