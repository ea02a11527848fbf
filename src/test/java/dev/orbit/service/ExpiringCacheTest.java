package dev.orbit.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExpiringCacheTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final ExpiringCache<String, String> cache = new ExpiringCache<>(clock, Duration.ofSeconds(1), 3);
    private final AtomicInteger loads = new AtomicInteger();

    private String load(String key) {
        return key + "#" + loads.incrementAndGet();
    }

    @Test
    void a_value_is_served_until_its_ttl_has_passed_since_its_load_began() {
        assertThat(cache.get("a", this::load)).isEqualTo("a#1");
        clock.advance(Duration.ofMillis(999));
        assertThat(cache.get("a", this::load)).isEqualTo("a#1");
        clock.advance(Duration.ofMillis(1));
        assertThat(cache.get("a", this::load)).isEqualTo("a#2");
    }

    @Test
    void invalidation_drops_every_entry_at_once() {
        cache.get("a", this::load);
        cache.get("b", this::load);
        cache.invalidateAll();
        assertThat(cache.get("a", this::load)).isEqualTo("a#3");
        assertThat(cache.get("b", this::load)).isEqualTo("b#4");
    }

    @Test
    void a_load_that_raced_with_an_invalidation_is_not_kept() {
        // The change (and its invalidation) happens while the old value is being read.
        assertThat(cache.get("a", k -> {
            cache.invalidateAll();
            return "stale";
        })).isEqualTo("stale");
        assertThat(cache.get("a", this::load)).isEqualTo("a#1");
    }

    @Test
    void a_failing_load_caches_nothing() {
        assertThatThrownBy(() -> cache.get("a", k -> {
            throw new IllegalStateException("database down");
        })).hasMessage("database down");
        assertThat(cache.get("a", this::load)).isEqualTo("a#1");
    }

    @Test
    void the_cache_never_grows_beyond_its_bound() {
        for (int i = 0; i < 50; i++) {
            cache.get("k" + i, this::load);
            assertThat(cache.size()).isLessThanOrEqualTo(3);
        }
    }
}
