package dev.orbit.bench;

import static dev.orbit.db.Filters.eq;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.Filters;
import dev.orbit.db.FindOptions;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.Sort;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code orbit bench storage}: ORBIT's storage path against the backend's plain driver on one database,
 * in one run, so the ratios are comparable on a noisy machine. Prints (a) raw batched inserts into
 * {@code chat_history}, (b) {@code insertOne} from many threads each acknowledged after its commit,
 * (c) {@code findMany} of a session's latest 50 messages in a large table, (d) the same read raw.
 */
public final class StorageBenchmark {
    /** Table size, concurrent writes and thread count, read queries. */
    public record Settings(long rows, int perSession, int concurrentRows, int threads, int queries) {
    }

    private final Settings settings;
    private final PrintWriter out;

    public StorageBenchmark(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    public void run(BenchTarget target) throws Exception {
        out.printf("ORBIT storage benchmark: %s, %d cores, Java %s%n", target.describe(),
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        out.flush();
        double[] rawRates = rawInserts(target);
        out.printf("(a) raw batched inserts: %,d rows, %,.0f rows/s (last 10%%: %,.0f rows/s)%n",
                settings.rows(), rawRates[0], rawRates[1]);
        out.flush();

        double serviceRate = concurrentInsertOne(target.service());
        // (b) runs on the table as (a) left it, so (a)'s last tenth is the like-for-like figure; the
        // ratio to (a)'s average, over a smaller table, is printed too.
        out.printf("(b) insertOne from %d threads, each acked after commit: %,d rows, %,.0f rows/s"
                        + " = %.0f%% of (a) last 10%%, %.0f%% of (a) average [target >= 50%%]%n",
                settings.threads(), settings.concurrentRows(), serviceRate, 100 * serviceRate / rawRates[1],
                100 * serviceRate / rawRates[0]);
        out.flush();

        long total = target.service().count(OrbitSchema.CHAT_HISTORY, Filters.all());
        if (total != settings.rows() + settings.concurrentRows()) {
            throw new IllegalStateException("expected " + (settings.rows() + settings.concurrentRows())
                    + " rows, found " + total);
        }
        reads(target, total);
    }

    private double[] rawInserts(BenchTarget target) throws Exception {
        long lastTenth = Math.max(1, settings.rows() / 10);
        long start = System.nanoTime();
        target.rawInsert(0, settings.rows() - lastTenth, settings.perSession());
        long lastStart = System.nanoTime();
        target.rawInsert(settings.rows() - lastTenth, lastTenth, settings.perSession());
        long end = System.nanoTime();
        return new double[] {settings.rows() / ((end - start) / 1e9), lastTenth / ((end - lastStart) / 1e9)};
    }

    private double concurrentInsertOne(DatabaseService db) throws InterruptedException {
        AtomicLong next = new AtomicLong(settings.rows());
        long end = settings.rows() + settings.concurrentRows();
        CountDownLatch ready = new CountDownLatch(settings.threads());
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int t = 0; t < settings.threads(); t++) {
            // Virtual threads, as the HTTP server runs requests.
            threads.add(Thread.ofVirtual().start(() -> {
                ready.countDown();
                try {
                    go.await();
                    for (long n = next.getAndIncrement(); n < end; n = next.getAndIncrement()) {
                        db.insertOne(OrbitSchema.CHAT_HISTORY, ChatRows.row(n, settings.perSession()));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        ready.await();
        long start = System.nanoTime();
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        long elapsed = System.nanoTime() - start;
        if (!failures.isEmpty()) {
            throw new IllegalStateException("concurrent insertOne failed", failures.getFirst());
        }
        return settings.concurrentRows() / (elapsed / 1e9);
    }

    private void reads(BenchTarget target, long total) throws Exception {
        DatabaseService db = target.service();
        long sessions = settings.rows() / settings.perSession();
        FindOptions latest50 = FindOptions.sortedBy(Sort.descending("timestamp")).limit(50);
        Latencies service = new Latencies(settings.queries());
        Latencies raw = new Latencies(settings.queries());
        SplittableRandom random = new SplittableRandom(42);
        int warmup = Math.min(5_000, settings.queries());
        for (int i = 0; i < warmup; i++) {
            String session = ChatRows.sessionId(random.nextLong(sessions));
            check(db.findMany(OrbitSchema.CHAT_HISTORY, eq("session_id", session), latest50).size());
            check(target.rawLatest50(session));
        }
        // Interleaved, so both see the same machine noise, and in alternating order: whichever reads a
        // session second finds its pages warm in the OS and CPU caches.
        for (int i = 0; i < settings.queries(); i++) {
            String session = ChatRows.sessionId(random.nextLong(sessions));
            if (i % 2 == 0) {
                service.record(timeService(db, session, latest50));
                raw.record(timeRaw(target, session));
            } else {
                raw.record(timeRaw(target, session));
                service.record(timeService(db, session, latest50));
            }
        }
        out.printf("(c) findMany latest 50 of a session, %,d rows: %,d queries, %,.0f q/s, p50 %.0f us, p99 %.0f us%n",
                total, settings.queries(), service.perSecond(), service.percentileMicros(50),
                service.percentileMicros(99));
        out.printf("(d) raw driver, same query:                      %,d queries, %,.0f q/s, p50 %.0f us, p99 %.0f us%n",
                settings.queries(), raw.perSecond(), raw.percentileMicros(50), raw.percentileMicros(99));
        out.printf("(c)/(d) = %.0f%% [target >= 70%%]; p99 of (c) = %.2f ms [target < 5 ms]%n",
                100 * service.perSecond() / raw.perSecond(), service.percentileMicros(99) / 1000);
        out.flush();
    }

    private long timeService(DatabaseService db, String session, FindOptions latest50) {
        long start = System.nanoTime();
        int found = db.findMany(OrbitSchema.CHAT_HISTORY, eq("session_id", session), latest50).size();
        long elapsed = System.nanoTime() - start;
        check(found);
        return elapsed;
    }

    private long timeRaw(BenchTarget target, String session) throws Exception {
        long start = System.nanoTime();
        int found = target.rawLatest50(session);
        long elapsed = System.nanoTime() - start;
        check(found);
        return elapsed;
    }

    private void check(int found) {
        if (found != Math.min(50, settings.perSession())) {
            throw new IllegalStateException("a session read returned " + found + " rows");
        }
    }
}
