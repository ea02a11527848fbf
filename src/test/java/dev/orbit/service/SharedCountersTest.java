package dev.orbit.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.db.Filters;
import dev.orbit.db.OrbitSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The shared request counters on every backend: the conditional increment admits exactly the limit however many
 * database handles (as separate gateway processes would hold) race for it, and several counters are all or nothing.
 */
abstract class SharedCountersTest extends ServiceTestBase {
    private static final Instant NOW = Instant.parse("2026-03-31T23:59:30Z");

    @Test
    void threadsWithTheirOwnHandlesRacingForOneCounterAreAdmittedExactlyUpToTheLimit() throws Exception {
        int handles = 6;
        int attemptsEach = 25;
        long limit = 40;
        List<SharedCounters> counters = new ArrayList<>();
        for (int i = 0; i < handles; i++) {
            counters.add(new SharedCounters(anotherHandle()));
        }
        SharedCounters.Take take = new SharedCounters.Take("key:race", CounterWindow.DAY, limit);
        AtomicInteger admitted = new AtomicInteger();
        race(counters, attemptsEach, handle -> {
            if (handle.take(List.of(take), NOW).admitted()) {
                admitted.incrementAndGet();
            }
        });

        assertThat(admitted.get()).isEqualTo(limit);
        assertThat(counters.getFirst().counts(List.of(take), NOW)).containsEntry(take, limit);
    }

    @Test
    void amountsAddedConcurrentlyThroughSeveralHandlesSumExactlyIntoOneNewRowPerWindow() throws Exception {
        int handles = 6;
        int addsEach = 20;
        List<SharedCounters> counters = new ArrayList<>();
        for (int i = 0; i < handles; i++) {
            counters.add(new SharedCounters(anotherHandle()));
        }
        List<SharedCounters.Add> turn = List.of(new SharedCounters.Add("tokens:key:t", CounterWindow.DAY, 7),
                new SharedCounters.Add("tokens:key:t", CounterWindow.MONTH, 7),
                new SharedCounters.Add("cost:key:t", CounterWindow.MONTH, 1_500));
        race(counters, addsEach, handle -> handle.add(turn, NOW));

        SharedCounters.Take day = SharedCounters.Take.unlimited("tokens:key:t", CounterWindow.DAY);
        SharedCounters.Take month = SharedCounters.Take.unlimited("tokens:key:t", CounterWindow.MONTH);
        SharedCounters.Take cost = SharedCounters.Take.unlimited("cost:key:t", CounterWindow.MONTH);
        long turns = (long) handles * addsEach;
        assertThat(counters.getFirst().counts(List.of(day, month, cost), NOW))
                .isEqualTo(Map.of(day, 7 * turns, month, 7 * turns, cost, 1_500 * turns));
        assertThat(db().count(OrbitSchema.RATE_COUNTERS, Filters.all())).isEqualTo(3);
    }

    /** Each handle on a thread of its own, all started at once, runs {@code work} {@code times} times. */
    private static void race(List<SharedCounters> handles, int times, Consumer<SharedCounters> work) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(handles.size());
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (SharedCounters handle : handles) {
                runs.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < times; i++) {
                        work.accept(handle);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void severalCountersAreTakenAllOrNothing() {
        SharedCounters counters = new SharedCounters(db());
        SharedCounters.Take daily = new SharedCounters.Take("key:a", CounterWindow.DAY, 5);
        SharedCounters.Take monthly = new SharedCounters.Take("key:a", CounterWindow.MONTH, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(counters.take(List.of(daily, monthly), NOW).admitted()).isTrue();
        }

        assertThat(counters.take(List.of(daily, monthly), NOW).refused()).containsExactly(monthly);

        assertThat(counters.counts(List.of(daily, monthly), NOW)).isEqualTo(Map.of(daily, 3L, monthly, 3L));
    }

    @Test
    void aNewWindowCountsAfreshAndTheOldRowExpiresShortlyAfterItsEnd() {
        SharedCounters counters = new SharedCounters(db());
        SharedCounters.Take minute = new SharedCounters.Take("ip:10.0.0.1", CounterWindow.MINUTE, 1);
        assertThat(counters.take(List.of(minute), NOW).admitted()).isTrue();
        assertThat(counters.take(List.of(minute), NOW.plusSeconds(29)).refused()).containsExactly(minute);

        Instant nextMonth = NOW.plusSeconds(30); // 2026-04-01T00:00:00Z: a new minute, hour, day and month
        assertThat(counters.take(List.of(minute), nextMonth).admitted()).isTrue();

        var rows = db().findMany(OrbitSchema.RATE_COUNTERS, Filters.eq("subject", "ip:10.0.0.1"));
        assertThat(rows).extracting(r -> r.getInstant("expires_at")).containsExactlyInAnyOrder(
                Instant.parse("2026-04-01T00:05:00Z"), Instant.parse("2026-04-01T00:06:00Z"));
        assertThat(OrbitSchema.RATE_COUNTERS_SPEC.indexes()).anySatisfy(index -> {
            assertThat(index.isTtl()).isTrue();
            assertThat(index.fields()).containsExactly("expires_at");
            assertThat(index.ttl()).isEqualTo(Duration.ZERO);
        });
    }

    @Test
    void anUnlimitedCounterCountsAndAResetStartsTheWindowAgain() {
        SharedCounters counters = new SharedCounters(db());
        SharedCounters.Take day = SharedCounters.Take.unlimited("key:u", CounterWindow.DAY);
        SharedCounters.Take month = SharedCounters.Take.unlimited("key:u", CounterWindow.MONTH);
        for (int i = 0; i < 7; i++) {
            assertThat(counters.take(List.of(day, month), NOW).admitted()).isTrue();
        }
        assertThat(counters.lastRaised("key:u", List.of(CounterWindow.DAY), NOW)).isEqualTo(NOW);

        counters.reset("key:u", List.of(CounterWindow.DAY), NOW);

        assertThat(counters.counts(List.of(day, month), NOW)).isEqualTo(Map.of(day, 0L, month, 7L));
    }

    @Test
    void aZeroLimitAdmitsNothingAndCountsNothing() {
        SharedCounters counters = new SharedCounters(db());
        SharedCounters.Take none = new SharedCounters.Take("key:z", CounterWindow.HOUR, 0);
        assertThat(counters.take(List.of(none), NOW).refused()).containsExactly(none);
        assertThat(db().count(OrbitSchema.RATE_COUNTERS, Filters.all())).isZero();
    }
}
