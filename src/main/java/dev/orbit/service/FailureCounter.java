package dev.orbit.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Failed attempts per key (a name, an address, a pair of them), in memory: once past its free failures a key is
 * blocked for a delay that doubles with each further failure up to a cap, and a key quiet for its
 * {@code forgetAfter} starts afresh. Memory is bounded whatever the input: a key longer than
 * {@link #MAX_KEY_CHARS} is kept as its SHA-256, and at most {@code maxTracked} keys are held (when full, the
 * forgotten ones go first, then arbitrary ones down to 90%, a pass per tenth of the capacity: a flood of new keys
 * can make the counter forget, never grow).
 */
final class FailureCounter {
    static final int MAX_KEY_CHARS = 128;

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

    private record State(int failures, Instant lastFailure, Instant blockedUntil, Duration forgetAfter) {
        boolean blocks(Instant now) {
            return blockedUntil != null && blockedUntil.isAfter(now);
        }

        boolean forgotten(Instant now) {
            Instant end = blockedUntil != null && blockedUntil.isAfter(lastFailure) ? blockedUntil : lastFailure;
            return !end.plus(forgetAfter).isAfter(now);
        }
    }

    private final int maxTracked;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    FailureCounter(int maxTracked) {
        this.maxTracked = maxTracked;
    }

    /** Until when the key is blocked, or null if it is not. */
    Instant blockedUntil(String key, Instant now) {
        State state = states.get(bounded(key));
        return state != null && state.blocks(now) ? state.blockedUntil : null;
    }

    /** Counts a failure of the key under the policy; returns its failures since it was last forgotten. */
    int failed(String key, Policy policy, Instant now) {
        String k = bounded(key);
        if (!states.containsKey(k) && states.size() >= maxTracked) {
            makeRoom(now);
        }
        return states.compute(k, (unused, old) -> {
            int failures = old == null || old.forgotten(now) ? 1 : old.failures + 1;
            Instant blockedUntil = failures > policy.free() ? now.plus(policy.delay(failures - policy.free())) : null;
            return new State(failures, now, blockedUntil, policy.forgetAfter());
        }).failures;
    }

    void forget(String key) {
        states.remove(bounded(key));
    }

    int size() {
        return states.size();
    }

    /** Characters held in keys: what the input can make this counter keep. */
    long keyChars() {
        return states.keySet().stream().mapToLong(String::length).sum();
    }

    /** Keys as held: short ones as they are, long ones (an absurd username, say) as a fixed-size digest. */
    static String bounded(String key) {
        return key.length() <= MAX_KEY_CHARS ? key : "#" + Secrets.sha256Hex(key);
    }

    private synchronized void makeRoom(Instant now) {
        if (states.size() >= maxTracked) { // else another thread made room meanwhile
            trim(states, maxTracked, s -> s.forgotten(now));
        }
    }

    /**
     * Brings a full map of at most {@code max} entries down to 90% of it: the stale entries go first, then
     * arbitrary ones. Called once per tenth of the capacity, so the cost per insert stays constant.
     */
    static <V> void trim(Map<String, V> map, int max, Predicate<V> stale) {
        map.values().removeIf(stale);
        int target = max - Math.max(1, max / 10);
        Iterator<String> keys = map.keySet().iterator();
        while (map.size() > target && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
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
