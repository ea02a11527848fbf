package dev.orbit.service;

import static dev.orbit.db.Filters.and;
import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.OrbitSchema.RATE_COUNTERS;
import static dev.orbit.db.Updates.combine;
import static dev.orbit.db.Updates.set;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.DuplicateKeyException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Failed attempts per key (a name, an address, a pair of them), in the database's shared counters, so that every
 * gateway on it counts against one limit: once past its free failures a key is blocked for a delay that doubles
 * with each further failure up to a cap, and a key quiet for its {@code forgetAfter} starts afresh (its row then
 * expires by TTL). A key longer than {@link #MAX_KEY_CHARS} is kept as its SHA-256. Each failure is counted by a
 * compare-and-set on the row's count, so concurrent failures on several gateways are each counted once.
 */
final class FailureCounter {
    static final int MAX_KEY_CHARS = 128;
    /** Compare-and-set rounds before a failure is given up as uncountable (only under an absurd flood of one key). */
    private static final int MAX_ROUNDS = 64;
    private static final String WINDOW = "failures";

    /** When failures of one kind of key block it: after {@code free} failures, {@code firstDelay} doubling to {@code maxDelay}. */
    record Policy(int free, Duration firstDelay, Duration maxDelay, Duration forgetAfter) {
        /** {@code firstDelay * 2^(excess-1)}, capped at {@code maxDelay}. */
        Duration delay(int excess) {
            Duration delay = firstDelay;
            for (int i = 1; i < excess && delay.compareTo(maxDelay) < 0; i++) {
                delay = delay.multipliedBy(2);
            }
            return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
        }
    }

    private final DatabaseService db;
    private final String prefix;

    /** {@code prefix} names the counter's keys apart from others' (e.g. {@code login:}). */
    FailureCounter(DatabaseService db, String prefix) {
        this.db = Objects.requireNonNull(db, "db");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    /** Until when the key is blocked, or null if it is not. */
    Instant blockedUntil(String key, Instant now) {
        Optional<Document> row = row(key);
        Instant until = row.map(r -> r.getInstant("blocked_until")).orElse(null);
        return until != null && until.isAfter(now) ? until : null;
    }

    /** Counts a failure of the key under the policy; returns its failures since it was last forgotten. */
    int failed(String key, Policy policy, Instant now) {
        String k = counterKey(key);
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Optional<Document> row = db.findOne(RATE_COUNTERS, eq("counter_key", k));
            if (row.isEmpty()) {
                try {
                    db.insertOne(RATE_COUNTERS, state(k, 1, policy, now).put("counter_key", k).put("subject", k)
                            .put("window", WINDOW).put("window_start", now));
                    return 1;
                } catch (DuplicateKeyException e) {
                    continue; // another gateway counted a first failure at the same time: count on its row
                }
            }
            Document old = row.get();
            long before = old.getLong("count", 0);
            boolean forgotten = !old.getInstant("expires_at").isAfter(now);
            int failures = forgotten ? 1 : (int) Math.min(Integer.MAX_VALUE, before + 1);
            Document next = state(k, failures, policy, now);
            // The row as read, or another gateway's failure came first: then read again and count on top of it.
            if (db.updateOne(RATE_COUNTERS, and(eq("counter_key", k), eq("count", before),
                    eq("updated_at", old.getInstant("updated_at"))), combine(set("count", (long) failures),
                    set("updated_at", now), set("blocked_until", next.getInstant("blocked_until")),
                    set("expires_at", next.getInstant("expires_at")))).matchedCount() == 1) {
                return failures;
            }
        }
        throw new ServiceException.TooManyRequests("Too many attempts at once; try again shortly", Duration.ofSeconds(1));
    }

    void forget(String key) {
        db.deleteOne(RATE_COUNTERS, eq("counter_key", counterKey(key)));
    }

    /** Remembers the key until {@code until} (a count of 1, never blocking), e.g. an address known for a name. */
    void remember(String key, Instant now, Instant until) {
        String k = counterKey(key);
        db.updateOne(RATE_COUNTERS, eq("counter_key", k), combine(set("count", 1L), set("updated_at", now),
                set("expires_at", until), dev.orbit.db.Updates.setOnInsert("subject", k),
                dev.orbit.db.Updates.setOnInsert("window", "known"), dev.orbit.db.Updates.setOnInsert("window_start", now)),
                dev.orbit.db.UpdateOptions.UPSERT);
    }

    /** When the remembered key was last remembered, if it still is at {@code now}. */
    Instant rememberedAt(String key, Instant now) {
        return row(key).filter(r -> r.getInstant("expires_at").isAfter(now)).map(r -> r.getInstant("updated_at"))
                .orElse(null);
    }

    private Optional<Document> row(String key) {
        return db.findOne(RATE_COUNTERS, eq("counter_key", counterKey(key)));
    }

    private static Document state(String k, int failures, Policy policy, Instant now) {
        Instant blockedUntil = failures > policy.free() ? now.plus(policy.delay(failures - policy.free())) : null;
        Instant end = blockedUntil != null ? blockedUntil : now;
        return new Document().put("count", (long) failures).put("updated_at", now).put("blocked_until", blockedUntil)
                .put("expires_at", end.plus(policy.forgetAfter()));
    }

    private String counterKey(String key) {
        return bounded(prefix + key);
    }

    /** Keys as held: short ones as they are, long ones (an absurd username, say) as a fixed-size digest. */
    static String bounded(String key) {
        return key.length() <= MAX_KEY_CHARS ? key : "#" + Secrets.sha256Hex(key);
    }

    /** Refuses with 429 while the key is blocked until {@code until} (null: not blocked). */
    static void refuseUntil(Instant until, Instant now, String what) {
        if (until != null) {
            Duration wait = Duration.between(now, until);
            throw new ServiceException.TooManyRequests(what + "; try again in "
                    + Math.max(1, (wait.toMillis() + 999) / 1000) + " seconds", wait);
        }
    }
}
