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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Usage counters in {@code usage_rollups}, raised by an atomic upsert with {@code $inc}: several gateway processes
 * on one database add up exactly, and a report reads a few rows instead of every call. Each call is counted twice,
 * in its day's row and in its hour's row (per key × adapter × provider × model × call type × user). Hourly series
 * come from the hour rows rather than from {@code audit_logs}: those hold every call, are kept only
 * {@code audit.retention_days} and may be switched off, while the rollups answer "tokens per hour this week" from
 * at most 168 rows per combination and stay exact with several gateways. The day rows keep month-long reports and
 * quota checks at 30 rows per combination.
 */
public final class UsageService {
    /** What a report may group by ({@code group_by}). */
    public static final List<String> GROUPS = List.of("model", "provider", "adapter_name", "user_id", "call_type",
            "api_key", "none");
    /** A report's buckets ({@code bucket}). */
    public static final List<String> BUCKETS = List.of("day", "hour");
    /** After how many days the configured prices are reported stale (the reference's default). */
    static final int PRICES_STALE_AFTER_DAYS = 120;

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

    /** Adds the calls to their rollups: two upserts (day and hour) per distinct combination among them. */
    public void add(List<ChatEvent> events) {
        UsageTally tally = tally();
        events.forEach(tally::add);
        add(tally);
    }

    /** An empty tally on this service's prices, to sum calls in memory before {@link #add(UsageTally)}. */
    UsageTally tally() {
        return new UsageTally(prices);
    }

    /** Raises each rollup of the tally by its sums: one atomic upsert per rollup. */
    void add(UsageTally tally) {
        for (Map.Entry<UsageTally.Rollup, UsageTally.Counts> rollup : tally.rollups().entrySet()) {
            upsert(rollup.getKey(), rollup.getValue());
        }
    }

    private void upsert(UsageTally.Rollup rollup, UsageTally.Counts counts) {
        List<Update> updates = new ArrayList<>(22);
        updates.add(setOnInsert("day", rollup.day()));
        if (rollup.hour() != null) {
            updates.add(setOnInsert("hour", rollup.hour()));
        }
        ChatEvent first = counts.first;
        onInsert(updates, "api_key_hash", first.apiKeyHash());
        onInsert(updates, "api_key_value", first.apiKeyValue());
        onInsert(updates, "api_key_id", first.apiKeyId());
        onInsert(updates, "client_name", first.clientName());
        onInsert(updates, "adapter_name", first.adapterName());
        onInsert(updates, "provider", first.provider());
        onInsert(updates, "model", first.model());
        onInsert(updates, "call_type", first.callType());
        onInsert(updates, "user_id", first.userId());
        updates.add(inc("requests", counts.requests));
        updates.add(inc("errors", counts.errors));
        updates.add(inc("prompt_tokens", counts.promptTokens));
        updates.add(inc("completion_tokens", counts.completionTokens));
        updates.add(inc("total_tokens", counts.promptTokens + counts.completionTokens));
        updates.add(inc("cost_usd", counts.costUsd));
        updates.add(inc("unpriced_requests", counts.unpriced));
        updates.add(inc("unreported_requests", counts.unreported));
        updates.add(set("updated_at", clock.instant()));
        Update update = combine(updates);
        Filter row = eq("rollup_key", rollup.key());
        try {
            db.updateOne(OrbitSchema.USAGE_ROLLUPS, row, update, UpdateOptions.UPSERT);
        } catch (DuplicateKeyException e) {
            // Another process inserted this rollup between our update finding nothing and our insert: it exists
            // now, so the same upsert matches it and increments it.
            db.updateOne(OrbitSchema.USAGE_ROLLUPS, row, update, UpdateOptions.UPSERT);
        }
    }

    private static void onInsert(List<Update> updates, String field, String value) {
        if (value != null) {
            updates.add(setOnInsert(field, value));
        }
    }

    /**
     * A usage report's question ({@code GET /admin/observability/usage}); null filters match everything.
     * {@code apiKey} matches a key's id, its masked form or its SHA-256.
     */
    public record UsageQuery(int days, String bucket, String groupBy, String provider, String adapterName,
                             String callType, String apiKey, int limitGroups) {
        public UsageQuery {
            if (!BUCKETS.contains(bucket)) {
                throw new IllegalArgumentException("bucket must be one of " + BUCKETS + ", got " + bucket);
            }
            if (!GROUPS.contains(groupBy)) {
                throw new IllegalArgumentException("group_by must be one of " + GROUPS + ", got " + groupBy);
            }
        }

        /** A report by day. */
        public UsageQuery(int days, String groupBy, String provider, String adapterName, String callType,
                          String apiKey, int limitGroups) {
            this(days, "day", groupBy, provider, adapterName, callType, apiKey, limitGroups);
        }
    }

    /**
     * Sums of a series point, a group or the totals. {@code unreportedRequests}: calls whose token counts the
     * provider did not report (estimated from the text, or none because the call failed).
     */
    public record Sums(long requests, long errors, long promptTokens, long completionTokens, long totalTokens,
                       double costUsd, long unpricedRequests, long unreportedRequests) {
        static final Sums ZERO = new Sums(0, 0, 0, 0, 0, 0, 0, 0);

        Sums plus(Document row) {
            return new Sums(requests + row.getLong("requests", 0), errors + row.getLong("errors", 0),
                    promptTokens + row.getLong("prompt_tokens", 0), completionTokens + row.getLong("completion_tokens", 0),
                    totalTokens + row.getLong("total_tokens", 0),
                    costUsd + (row.getDouble("cost_usd") == null ? 0 : row.getDouble("cost_usd")),
                    unpricedRequests + row.getLong("unpriced_requests", 0),
                    unreportedRequests + row.getLong("unreported_requests", 0));
        }
    }

    /**
     * One group of a report: its key, an optional label (a key's client name) and its sums. {@code ambiguous}: the
     * key stands for more than one thing, so the label may not fit every call (a key renamed to another client
     * name, or calls of several keys grouped under one masked form because they have no key id).
     */
    public record Group(String key, String label, boolean ambiguous, Sums sums) {
    }

    /** When the configured prices were last checked (null: not said) and whether that is too long ago. */
    public record Pricing(LocalDate updated, boolean stale) {
    }

    /** {@code series}: one point per bucket start, ascending, buckets without calls as zeros. */
    public record UsageReport(Instant since, Instant until, int days, String bucket, Sums totals,
                              Map<Instant, Sums> series, List<Group> groups, Pricing pricing) {
    }

    /**
     * The usage of the last {@code days} days from the rollups, in whole buckets: by day, today and the days
     * before; by hour, the current hour and the {@code days × 24 - 1} before. Totals, the series and the groups,
     * costliest first, at most {@code limitGroups}.
     */
    public UsageReport report(UsageQuery query) {
        boolean hourly = query.bucket().equals("hour");
        ChronoUnit unit = hourly ? ChronoUnit.HOURS : ChronoUnit.DAYS;
        Instant until = clock.instant().truncatedTo(unit).plus(1, unit);
        Instant since = until.minus(Duration.ofDays(query.days()));
        List<Filter> filters = new ArrayList<>();
        // The day range uses the day index for both kinds of row; the hour field tells them apart.
        filters.add(gte("day", since.truncatedTo(ChronoUnit.DAYS)));
        filters.add(lt("day", until));
        filters.add(hourly ? and(gte("hour", since), lt("hour", until)) : eq("hour", null));
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
        for (Instant bucket = since; bucket.isBefore(until); bucket = bucket.plus(1, unit)) {
            series.put(bucket, Sums.ZERO);
        }
        Map<String, GroupSums> groups = new LinkedHashMap<>();
        for (Document row : db.findMany(OrbitSchema.USAGE_ROLLUPS, and(filters))) {
            totals = totals.plus(row);
            series.merge(row.getInstant(hourly ? "hour" : "day"), Sums.ZERO.plus(row), (a, b) -> a.plus(row));
            if (!query.groupBy().equals("none")) {
                groups.computeIfAbsent(groupKey(query.groupBy(), row), k -> new GroupSums()).add(row);
            }
        }
        List<Group> ranked = groups.entrySet().stream()
                .map(e -> e.getValue().group(e.getKey(), query.groupBy().equals("api_key")))
                .sorted(Comparator.comparingDouble((Group g) -> g.sums().costUsd()).reversed()
                        .thenComparing(Comparator.comparingLong((Group g) -> g.sums().totalTokens()).reversed())
                        .thenComparing(Group::key))
                .limit(query.limitGroups())
                .toList();
        return new UsageReport(since, until, query.days(), query.bucket(), totals, series, ranked, pricing());
    }

    private Pricing pricing() {
        LocalDate updated = prices.updated();
        return new Pricing(updated, updated != null
                && updated.plusDays(PRICES_STALE_AFTER_DAYS).isBefore(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)));
    }

    /** A group's sums, and what it needs to say whether its key is ambiguous. */
    private static final class GroupSums {
        Sums sums = Sums.ZERO;
        final Set<String> labels = new TreeSet<>();
        // Keys grouped by their masked form (rows without a key id); a renamed key keeps its id, so it is one key.
        final Set<String> keysWithoutId = new HashSet<>();

        void add(Document row) {
            sums = sums.plus(row);
            if (row.getString("client_name") != null) {
                labels.add(row.getString("client_name"));
            }
            if (row.getString("api_key_id") == null) {
                keysWithoutId.add(String.valueOf(row.getString("api_key_hash")));
            }
        }

        Group group(String key, boolean byApiKey) {
            if (!byApiKey) {
                return new Group(key, null, false, sums);
            }
            return new Group(key, labels.isEmpty() ? null : String.join(", ", labels),
                    labels.size() > 1 || keysWithoutId.size() > 1, sums);
        }
    }

    private static String groupKey(String groupBy, Document row) {
        String value = switch (groupBy) {
            case "api_key" -> row.getString("api_key_id") != null ? row.getString("api_key_id")
                    : row.getString("api_key_value");
            default -> row.getString(groupBy);
        };
        return value == null ? "unknown" : value;
    }

    /** Deletes rollups (day and hour rows) of days before {@code days} days ago; returns how many. */
    public long purgeOlderThan(int days) {
        Instant cutoff = clock.instant().truncatedTo(ChronoUnit.DAYS).minus(days, ChronoUnit.DAYS);
        return db.deleteMany(OrbitSchema.USAGE_ROLLUPS, lt("day", cutoff));
    }
}
