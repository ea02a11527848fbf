package dev.orbit.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A small read-through cache whose entries expire {@code ttl} after their load began, which bounds how stale
 * a value changed by another process can be. Changes made in this process invalidate at once; a load that
 * raced with an invalidation is not kept (a generation counter tells), so an old value cannot outlive it.
 * Loader failures propagate and cache nothing.
 */
final class ExpiringCache<K, V> {
    private record Entry<V>(V value, Instant expires) {
    }

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final Clock clock;
    private final Duration ttl;
    private final int maxEntries;

    ExpiringCache(Clock clock, Duration ttl, int maxEntries) {
        this.clock = clock;
        this.ttl = ttl;
        this.maxEntries = maxEntries;
    }

    V get(K key, Function<K, V> loader) {
        Instant now = clock.instant();
        Entry<V> cached = entries.get(key);
        if (cached != null && cached.expires.isAfter(now)) {
            return cached.value;
        }
        long seen = generation.get();
        V value = loader.apply(key);
        Entry<V> fresh = new Entry<>(value, now.plus(ttl));
        if (entries.size() >= maxEntries) {
            prune(now);
        }
        entries.put(key, fresh);
        if (generation.get() != seen) {
            entries.remove(key, fresh); // invalidated while loading: the value may predate the change
        }
        return value;
    }

    void invalidateAll() {
        generation.incrementAndGet();
        entries.clear();
    }

    int size() {
        return entries.size();
    }

    private void prune(Instant now) {
        entries.values().removeIf(e -> !e.expires.isAfter(now));
        if (entries.size() >= maxEntries) {
            entries.clear(); // all fresh: start over rather than track recency on the hot path
        }
    }
}
