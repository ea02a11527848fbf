package dev.orbit.service;

import static dev.orbit.db.Filters.and;
import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.Filters.gte;
import static dev.orbit.db.Filters.lt;
import static dev.orbit.db.Filters.or;
import static dev.orbit.db.Updates.combine;
import static dev.orbit.db.Updates.inc;
import static dev.orbit.db.Updates.set;
import static dev.orbit.db.Updates.setOnInsert;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.DuplicateKeyException;
import dev.orbit.db.Filter;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.Update;
import dev.orbit.db.UpdateOptions;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Usage counters per day × API key × adapter × model × call type in {@code usage_rollups}, raised by an
 * atomic upsert with {@code $inc}: several gateway processes on one database add up exactly, and a report over
 * a month reads a few rows instead of every call.
 */
public final class UsageService {
    /** What a report may group by ({@code group_by}). */
    public static final List<String> GROUPS = List.of("model", "provider", "adapter_name", "call_type", "api_key", "none");

    private final DatabaseService db;
    private final PriceTable prices;
    private final Clock clock;

    public UsageService(DatabaseService db, PriceTable prices, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.prices = Objects.requireNonNull(prices, "prices");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public PriceTable prices() {
        return prices;
    }

    /** Adds the calls to their rollups: one upsert per distinct rollup, however many calls it holds. */
    public void add(List<ChatEvent> events) {
        Map<String, Counts> rollups = new LinkedHashMap<>();
        for (ChatEvent event : events) {
            Instant day = event.timestamp().truncatedTo(ChronoUnit.DAYS);
            String key = Secrets.sha256Hex(String.join("\u0000", day.toString(), nz(event.apiKeyHash()),
                    nz(event.adapterName()), nz(event.model()), nz(event.callType())));
            rollups.computeIfAbsent(key, k -> new Counts(day, event)).add(event, prices);
        }
        for (Map.Entry<String, Counts> rollup : rollups.entrySet()) {
            upsert(rollup.getKey(), rollup.getValue());
        }
    }

    private void upsert(String rollupKey, Counts counts) {
        List<Update> updates = new ArrayList<>();
        updates.add(setOnInsert("day", counts.day));
        ChatEvent first = counts.first;
        onInsert(updates, "api_key_hash", first.apiKeyHash());
        onInsert(updates, "api_key_value", first.apiKeyValue());
        onInsert(updates, "api_key_id", first.apiKeyId());
        onInsert(updates, "client_name", first.clientName());
        onInsert(updates, "adapter_name", first.adapterName());
        onInsert(updates, "provider", first.provider());
        onInsert(updates, "model", first.model());
        onInsert(updates, "call_type", first.callType());
        updates.add(inc("requests", counts.requests));
        updates.add(inc("errors", counts.errors));
        updates.add(inc("prompt_tokens", counts.promptTokens));
        updates.add(inc("completion_tokens", counts.completionTokens));
        updates.add(inc("total_tokens", counts.promptTokens + counts.completionTokens));
        updates.add(inc("cost_usd", counts.costUsd));
        updates.add(inc("unpriced_requests", counts.unpriced));
        updates.add(set("updated_at", clock.instant()));
        Update update = combine(updates);
        try {
            db.updateOne(OrbitSchema.USAGE_ROLLUPS, eq("rollup_key", rollupKey), update, UpdateOptions.UPSERT);
        } catch (DuplicateKeyException e) {
            // Another process inserted this rollup between our update finding nothing and our insert: it exists
            // now, so the same upsert matches it and increments it.
            db.updateOne(OrbitSchema.USAGE_ROLLUPS, eq("rollup_key", rollupKey), update, UpdateOptions.UPSERT);
        }
    }

    private static void onInsert(List<Update> updates, String field, String value) {
        if (value != null) {
            updates.add(setOnInsert(field, value));
        }
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }

    /** The calls of one rollup within a batch. */
    private static final class Counts {
        final Instant day;
        final ChatEvent first;
        long requests;
        long errors;
        long promptTokens;
        long completionTokens;
        double costUsd;
        long unpriced;

        Counts(Instant day, ChatEvent first) {
            this.day = day;
            this.first = first;
        }

        void add(ChatEvent event, PriceTable prices) {
            requests++;
            errors += event.outcome().isError() ? 1 : 0;
            promptTokens += event.promptTokens();
            completionTokens += event.completionTokens();
            PriceTable.Cost cost = prices.cost(event.model(), event.promptTokens(), event.completionTokens());
            costUsd += cost.usd();
            unpriced += cost.priced() ? 0 : 1;
        }
    }

    /** A usage report's question ({@code GET /admin/observability/usage}); null filters match everything. */
    public record UsageQuery(int days, String groupBy, String provider, String adapterName, String callType,
                             String apiKey, int limitGroups) {
    }

    /** Sums of a series point, a group or the totals. */
    public record Sums(long requests, long errors, long promptTokens, long completionTokens, long totalTokens,
                       double costUsd, long unpricedRequests) {
        static final Sums ZERO = new Sums(0, 0, 0, 0, 0, 0, 0);

        Sums plus(Document row) {
            return new Sums(requests + row.getLong("requests", 0), errors + row.getLong("errors", 0),
                    promptTokens + row.getLong("prompt_tokens", 0), completionTokens + row.getLong("completion_tokens", 0),
                    totalTokens + row.getLong("total_tokens", 0),
                    costUsd + (row.getDouble("cost_usd") == null ? 0 : row.getDouble("cost_usd")),
                    unpricedRequests + row.getLong("unpriced_requests", 0));
        }
    }

    /** One group of a report: its key, an optional label (a key's client name) and its sums. */
    public record Group(String key, String label, Sums sums) {
    }

    public record UsageReport(Instant since, Instant until, int days, Sums totals, Map<Instant, Sums> series,
                              List<Group> groups) {
    }

    /**
     * The usage of the last {@code days} days (today included) from the rollups: totals, one point per day
     * (ascending, days without calls as zeros) and the groups, costliest first, at most {@code limitGroups}.
     */
    public UsageReport report(UsageQuery query) {
        Instant until = clock.instant().truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS);
        Instant since = until.minus(query.days(), ChronoUnit.DAYS);
        List<Filter> filters = new ArrayList<>(List.of(gte("day", since), lt("day", until)));
        if (query.provider() != null) {
            filters.add(eq("provider", query.provider()));
        }
        if (query.adapterName() != null) {
            filters.add(eq("adapter_name", query.adapterName()));
        }
        if (query.callType() != null) {
            filters.add(eq("call_type", query.callType()));
        }
        if (query.apiKey() != null) {
            filters.add(or(eq("api_key_id", query.apiKey()), eq("api_key_value", query.apiKey()),
                    eq("api_key_hash", query.apiKey())));
        }
        Sums totals = Sums.ZERO;
        Map<Instant, Sums> series = new TreeMap<>();
        for (Instant day = since; day.isBefore(until); day = day.plus(1, ChronoUnit.DAYS)) {
            series.put(day, Sums.ZERO);
        }
        Map<String, Sums> groups = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        for (Document row : db.findMany(OrbitSchema.USAGE_ROLLUPS, and(filters))) {
            totals = totals.plus(row);
            series.merge(row.getInstant("day"), Sums.ZERO.plus(row), (a, b) -> a.plus(row));
            if (!query.groupBy().equals("none")) {
                String key = groupKey(query.groupBy(), row);
                groups.merge(key, Sums.ZERO.plus(row), (a, b) -> a.plus(row));
                if (query.groupBy().equals("api_key") && row.getString("client_name") != null) {
                    labels.putIfAbsent(key, row.getString("client_name"));
                }
            }
        }
        List<Group> ranked = groups.entrySet().stream()
                .map(e -> new Group(e.getKey(), labels.get(e.getKey()), e.getValue()))
                .sorted(Comparator.comparingDouble((Group g) -> g.sums().costUsd()).reversed()
                        .thenComparing(Comparator.comparingLong((Group g) -> g.sums().totalTokens()).reversed())
                        .thenComparing(Group::key))
                .limit(query.limitGroups())
                .toList();
        return new UsageReport(since, until, query.days(), totals, series, ranked);
    }

    private static String groupKey(String groupBy, Document row) {
        String value = switch (groupBy) {
            case "api_key" -> row.getString("api_key_id") != null ? row.getString("api_key_id")
                    : row.getString("api_key_value");
            default -> row.getString(groupBy);
        };
        return value == null ? "unknown" : value;
    }

    /** Deletes rollups of days before {@code days} days ago; returns how many. */
    public long purgeOlderThan(int days) {
        Instant cutoff = clock.instant().truncatedTo(ChronoUnit.DAYS).minus(days, ChronoUnit.DAYS);
        return db.deleteMany(OrbitSchema.USAGE_ROLLUPS, lt("day", cutoff));
    }
}
