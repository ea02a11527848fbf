package dev.orbit.service;

import static dev.orbit.db.Filters.and;
import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.Filters.gt;
import static dev.orbit.db.Filters.in;
import static dev.orbit.db.Filters.lt;
import static dev.orbit.db.OrbitSchema.RATE_COUNTERS;
import static dev.orbit.db.Updates.combine;
import static dev.orbit.db.Updates.inc;
import static dev.orbit.db.Updates.set;
import static dev.orbit.db.Updates.setOnInsert;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.DocumentStore;
import dev.orbit.db.TransactionsNotSupportedException;
import dev.orbit.db.DuplicateKeyException;
import dev.orbit.db.Filter;
import dev.orbit.db.FindOptions;
import dev.orbit.db.Projection;
import dev.orbit.db.UpdateOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Request counters in the database ({@code rate_counters}), exact across every gateway process that shares it. A
 * counter is raised only by one conditional update whose filter holds the limit ({@code count < limit}); a new
 * window's row is inserted by the upsert of that update, and where two gateways insert the same row at once the
 * loser's update is retried against the winner's row (every backend does that). An upsert refused for a duplicate
 * key after its retry therefore means the row exists and is full: the limit is reached.
 */
public final class SharedCounters {
    /** One counter of a subject (an API key, a client address, ...) in the window holding the request's time. */
    public record Take(String subject, CounterWindow window, long limit) {
        public Take {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(window, "window");
        }

        /** A counter that counts without a limit (for usage reports). */
        public static Take unlimited(String subject, CounterWindow window) {
            return new Take(subject, window, UNLIMITED);
        }
    }

    /** An amount added to a counter that has no limit of its own (a key's tokens, its cost in nano-dollars). */
    public record Add(String subject, CounterWindow window, long amount) {
        public Add {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(window, "window");
        }
    }

    private static final int MAX_ROUNDS = 5;

    private final DatabaseService db;
    /** Whether the database runs transactions; learnt on the first take. */
    private volatile boolean transactions = true;

    public SharedCounters(DatabaseService db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** What a take did: the counters found full (empty: all raised) and every counter's count afterwards. */
    public record Outcome(List<Take> refused, Map<Take, Long> counts) {
        public boolean admitted() {
            return refused.isEmpty();
        }
    }

    /** Thrown inside the transaction to undo it when a counter is full. */
    private static final class Full extends RuntimeException {
        private final transient List<Take> refused;

        Full(List<Take> refused) {
            super(null, null, false, false);
            this.refused = refused;
        }
    }

    /**
     * Raises every counter by one if each stays within its limit, all or nothing, and reads the counts. Where the
     * database runs transactions, one atomic unit does it all ({@link DatabaseService#executeAtomically}: one job of
     * SQLite's group commit, a transaction elsewhere): usually one statement raising every counter (all rows exist
     * and are below their limits), else counter by counter, and a full counter rolls it back; two gateways inserting the
     * same new window make one unit fail on the unique key, and it is run again. Elsewhere (a standalone MongoDB) the counters are raised concurrently and the
     * ones taken are given back when another is full: between a take and its give-back a concurrent request may
     * find that counter one higher than it ends.
     */
    public Outcome take(List<Take> takes, Instant now) {
        if (transactions) {
            try {
                return atomically(takes, now);
            } catch (TransactionsNotSupportedException e) {
                transactions = false;
            }
        }
        List<Take> refused = takeConcurrently(takes, now);
        return new Outcome(refused, counts(takes, now));
    }

    private Outcome atomically(List<Take> takes, Instant now) {
        // One unit raising the counters one by one, always in the order of `takes`, so that two requests on
        // PostgreSQL lock their shared rows in the same order. (One updateMany for all of them, tried before the
        // loop, locked rows in the table's scan order instead and deadlocked with this loop: 500s after a one-second
        // stall on a key at its limit, TwoGatewaysOneDatabaseTest. Its gain on SQLite was within the noise.)
        for (int round = 1; ; round++) {
            try {
                db.executeAtomically(tx -> {
                    List<Take> refused = new ArrayList<>();
                    for (Take take : takes) {
                        if (!raise(tx, take, now)) {
                            refused.add(take);
                        }
                    }
                    if (!refused.isEmpty()) {
                        throw new Full(refused);
                    }
                    return null;
                });
                // Read after the commit, off the single writer (the counts are for headers: others' may be in).
                return new Outcome(List.of(), counts(takes, now));
            } catch (Full full) {
                return new Outcome(full.refused, counts(takes, now));
            } catch (DuplicateKeyException e) {
                if (round == MAX_ROUNDS) {
                    throw e;
                }
                // another gateway inserted a new window's row meanwhile: run again, now updating it
            }
        }
    }

    /**
     * Adds each amount to its counter in the window holding {@code now} (its row inserted by the upsert when new): in
     * one atomic unit where the database runs them (one job of SQLite's group commit), else one upsert each.
     */
    public void add(List<Add> adds, Instant now) {
        if (adds.isEmpty()) {
            return;
        }
        if (transactions) {
            try {
                retryingLostInserts(() -> db.executeAtomically(tx -> {
                    adds.forEach(add -> upsert(tx, add.subject(), add.window(), add.amount(), UNLIMITED, now));
                    return null;
                }));
                return;
            } catch (TransactionsNotSupportedException e) {
                transactions = false;
            }
        }
        for (Add add : adds) {
            retryingLostInserts(() -> upsert(db, add.subject(), add.window(), add.amount(), UNLIMITED, now));
        }
    }

    /** Runs the work again when it lost the race to insert a new window's row (it then updates the winner's). */
    private static void retryingLostInserts(Runnable work) {
        for (int round = 1; ; round++) {
            try {
                work.run();
                return;
            } catch (DuplicateKeyException e) {
                if (round == MAX_ROUNDS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Adds {@code by} to the counter if it stays below {@code limit} ({@link #UNLIMITED}: always), inserting the
     * window's row when there is none; a full counter's row does not match, and its upsert is refused for a duplicate.
     */
    private static void upsert(DocumentStore store, String subject, CounterWindow window, long by, long limit,
                               Instant now) {
        store.updateOne(RATE_COUNTERS, filter(subject, window, limit, now),
                combine(inc("count", by), set("updated_at", now), setOnInsert("subject", subject),
                        setOnInsert("window", window.label()), setOnInsert("window_start", window.start(now)),
                        setOnInsert("expires_at", expiry(window, now))),
                UpdateOptions.UPSERT);
    }

    private static final long UNLIMITED = Long.MAX_VALUE;
    private static final Projection COUNT_ONLY = Projection.include("counter_key", "count");

    /** The row of the subject's window holding {@code now}, while its count is below {@code limit}. */
    private static Filter filter(String subject, CounterWindow window, long limit, Instant now) {
        String key = key(subject, window, now);
        return limit == UNLIMITED ? eq("counter_key", key) : and(eq("counter_key", key), lt("count", limit));
    }

    /** In a transaction: the conditional update, else (no row yet) the window's row; false when it is full. */
    private static boolean raise(DocumentStore tx, Take take, Instant now) {
        if (take.limit() <= 0) {
            return false;
        }
        String key = key(take.subject(), take.window(), now);
        if (tx.updateOne(RATE_COUNTERS, filter(take.subject(), take.window(), take.limit(), now),
                combine(inc("count", 1L), set("updated_at", now))).matchedCount() == 1) {
            return true;
        }
        if (tx.findOne(RATE_COUNTERS, eq("counter_key", key)).isPresent()) {
            return false;
        }
        tx.insertOne(RATE_COUNTERS, new Document().put("counter_key", key).put("subject", take.subject())
                .put("window", take.window().label()).put("window_start", take.window().start(now)).put("count", 1L)
                .put("updated_at", now).put("expires_at", expiry(take.window(), now)));
        return true;
    }

    private static Instant expiry(CounterWindow window, Instant now) {
        return window.end(now).plus(CounterWindow.KEPT_AFTER_END);
    }

    private List<Take> takeConcurrently(List<Take> takes, Instant now) {
        if (takes.size() == 1) {
            return raise(takes.getFirst(), now) ? List.of() : takes;
        }
        boolean[] raised = new boolean[takes.size()];
        RuntimeException[] failures = new RuntimeException[takes.size()];
        List<Thread> threads = new ArrayList<>(takes.size());
        for (int i = 0; i < takes.size(); i++) {
            int at = i;
            threads.add(Thread.ofVirtual().name("orbit-counter").start(() -> {
                try {
                    raised[at] = raise(takes.get(at), now);
                } catch (RuntimeException e) {
                    failures[at] = e;
                }
            }));
        }
        joinAll(threads);
        List<Take> refused = new ArrayList<>();
        RuntimeException failure = null;
        for (int i = 0; i < takes.size(); i++) {
            if (failures[i] != null) {
                failure = failure == null ? failures[i] : failure;
            } else if (!raised[i]) {
                refused.add(takes.get(i));
            }
        }
        if (failure != null || !refused.isEmpty()) {
            for (int i = 0; i < takes.size(); i++) {
                if (raised[i]) {
                    giveBack(takes.get(i), now);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return refused;
    }

    /** Raises one counter if it stays within its limit; returns whether it did. */
    boolean raise(Take take, Instant now) {
        if (take.limit() <= 0) {
            return false;
        }
        try {
            upsert(db, take.subject(), take.window(), 1L, take.limit(), now);
            return true;
        } catch (DuplicateKeyException e) {
            return false; // the window's row exists and did not match: it is full
        }
    }

    /** Takes back one count of a counter raised for a request that was then refused elsewhere. */
    void giveBack(Take take, Instant now) {
        db.updateOne(RATE_COUNTERS, and(eq("counter_key", key(take.subject(), take.window(), now)), gt("count", 0L)),
                inc("count", -1L));
    }

    /** The count of each (subject, window) of {@code takes} now, read in one query; absent rows count 0. */
    public Map<Take, Long> counts(List<Take> takes, Instant now) {
        Map<String, Take> byKey = new HashMap<>();
        for (Take take : takes) {
            byKey.put(key(take.subject(), take.window(), now), take);
        }
        Map<Take, Long> counts = new HashMap<>();
        takes.forEach(take -> counts.put(take, 0L));
        if (!takes.isEmpty()) {
            // Only the two fields needed: reading the row's three instants cost a third of the limits' time.
            for (Document row : db.findMany(RATE_COUNTERS, in("counter_key", List.copyOf(byKey.keySet())),
                    FindOptions.ALL.projection(COUNT_ONLY))) {
                counts.put(byKey.get(row.getString("counter_key")), row.getLong("count", 0));
            }
        }
        return counts;
    }

    /** When the subject's counters of these windows were last raised (null: never, or reset since). */
    public Instant lastRaised(String subject, List<CounterWindow> windows, Instant now) {
        Instant last = null;
        for (Document row : db.findMany(RATE_COUNTERS, in("counter_key", keys(subject, windows, now)))) {
            Instant at = row.getInstant("updated_at");
            if (at != null && (last == null || at.isAfter(last))) {
                last = at;
            }
        }
        return last;
    }

    /** Starts the subject's current windows afresh (their counts become 0). */
    public void reset(String subject, List<CounterWindow> windows, Instant now) {
        db.deleteMany(RATE_COUNTERS, in("counter_key", keys(subject, windows, now)));
    }

    private static List<String> keys(String subject, List<CounterWindow> windows, Instant now) {
        return windows.stream().map(window -> key(subject, window, now)).toList();
    }

    /** The row's unique key: subject, window kind and the window's start in epoch seconds. */
    static String key(String subject, CounterWindow window, Instant now) {
        return subject + "|" + window.label() + "|" + window.start(now).getEpochSecond();
    }

    private static void joinAll(List<Thread> threads) {
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the counters' writes finish quickly; wait for them, then restore the flag
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
