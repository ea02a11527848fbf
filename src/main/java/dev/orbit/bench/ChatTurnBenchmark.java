package dev.orbit.bench;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.Filters;
import dev.orbit.db.OrbitSchema;
import dev.orbit.service.ApiKeyFingerprint;
import dev.orbit.service.ChatHistoryService;
import dev.orbit.service.ChatHistorySettings;
import dev.orbit.service.NewMessage;
import dev.orbit.service.TurnHistory;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code orbit bench turns}: the storage side of a chat turn alone, as the chat routes run it ({@link
 * ChatHistoryService#forTurn} then {@link ChatHistoryService#addTurn}, metadata as the routes store it), from
 * many virtual threads on random sessions of one key, without HTTP or a provider. Prints turns per second and
 * the process's CPU time per turn, which on a shared machine follows the code much more than the load does.
 */
public final class ChatTurnBenchmark {
    /** What the mock adapter's context window leaves for history (4,096 less the reserve). */
    private static final int HISTORY_TOKENS = 3_072;
    private static final String QUESTION = "What is the capital of France? Answer in one short sentence.";
    private static final String ANSWER = "Mock reply: " + QUESTION;

    /** Sessions to spread the turns over, turns measured and not, concurrent callers. */
    public record Settings(int sessions, int turns, int warmup, int threads) {
    }

    private final Settings settings;
    private final PrintWriter out;

    public ChatTurnBenchmark(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    public void run(BenchTarget target) throws InterruptedException {
        DatabaseService db = target.service();
        ChatHistoryService history = new ChatHistoryService(db, ChatHistorySettings.defaults(), Clock.systemUTC());
        out.printf("ORBIT chat-turn storage benchmark: %s, %d cores, Java %s; %,d sessions, %d threads%n",
                target.describe(), Runtime.getRuntime().availableProcessors(), Runtime.version(), settings.sessions(),
                settings.threads());
        out.flush();
        turns(history, settings.warmup(), 1, new long[0]);
        out.printf("warm-up: %,d turns%n", settings.warmup());
        out.flush();
        long cpuBefore = processCpuNanos();
        Map<String, Long> ioBefore = processIo();
        Map<String, Double> countersBefore = counters(db);
        long[] latencies = new long[settings.turns()];
        long start = System.nanoTime();
        turns(history, settings.turns(), 2, latencies);
        long elapsed = System.nanoTime() - start;
        long cpu = processCpuNanos() - cpuBefore;
        Map<String, Long> ioAfter = processIo();
        out.printf("forTurn + addTurn: %,d turns, %,.0f turns/s, process CPU %.0f us/turn%n", settings.turns(),
                settings.turns() / (elapsed / 1e9), cpu / 1e3 / settings.turns());
        if (!ioBefore.isEmpty() && !ioAfter.isEmpty()) {
            // Counts of the process's read and write calls and their bytes: steady where CPU time follows the load.
            double n = settings.turns();
            out.printf("per turn: %.1f reads (%.1f KB), %.1f writes (%.1f KB) [/proc/self/io]%n",
                    (ioAfter.get("syscr") - ioBefore.get("syscr")) / n, (ioAfter.get("rchar") - ioBefore.get("rchar")) / n / 1024,
                    (ioAfter.get("syscw") - ioBefore.get("syscw")) / n, (ioAfter.get("wchar") - ioBefore.get("wchar")) / n / 1024);
        }
        java.util.Arrays.sort(latencies);
        out.printf("turn latency: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n", percentile(latencies, 0.50),
                percentile(latencies, 0.99), percentile(latencies, 0.999), latencies[latencies.length - 1] / 1e6);
        // The backend's own counters over the measured turns (commits, checkpoints, ...), where it has any.
        Map<String, Double> countersAfter = counters(db);
        StringBuilder deltas = new StringBuilder();
        countersAfter.forEach((name, value) -> deltas.append(deltas.isEmpty() ? "" : ", ").append(name).append(' ')
                .append(String.format("%,.0f", value - countersBefore.getOrDefault(name, 0.0))));
        if (!deltas.isEmpty()) {
            out.printf("backend counters during the turns: %s%n", deltas);
        }
        long stored = db.count(OrbitSchema.CHAT_HISTORY, Filters.all());
        long expected = 2L * (settings.warmup() + settings.turns());
        if (stored != expected) {
            throw new IllegalStateException("expected " + expected + " stored messages, found " + stored);
        }
        out.printf("stored: %,d messages, as expected%n", stored);
        out.flush();
    }

    /** {@code count} turns from the configured number of virtual threads, as the HTTP server runs requests. */
    private void turns(ChatHistoryService history, int count, long seed, long[] latencies) throws InterruptedException {
        AtomicLong left = new AtomicLong(count);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        ApiKeyFingerprint key = ApiKeyFingerprint.of("orbit_bench_turns_key");
        Map<String, Object> common = Map.of("adapter_name", "simple-chat", "model", "mock", "client_ip", "127.0.0.1",
                "request_id", "0123456789abcdef");
        Map<String, Object> reply = new java.util.LinkedHashMap<>(common);
        reply.putAll(Map.of("provider", "mock", "processing_time", 0.0012, "prompt_tokens", 40L,
                "completion_tokens", 12L));
        for (int t = 0; t < settings.threads(); t++) {
            SplittableRandom random = new SplittableRandom(seed * 1_000_003 + t);
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    long n;
                    while ((n = left.getAndDecrement()) > 0) {
                        long began = System.nanoTime();
                        String session = "bench-" + (1 + random.nextInt(settings.sessions()));
                        TurnHistory past = history.forTurn(session, key, null, HISTORY_TOKENS, 50, null);
                        if (past.stored().isPresent()) {
                            throw new IllegalStateException("no turn was stored with an idempotency key");
                        }
                        history.addTurn(session, key, null, new NewMessage("user", QUESTION, common, null),
                                new NewMessage("assistant", ANSWER, reply, 12L), null, past.end());
                        if (latencies.length > 0) {
                            latencies[(int) (n - 1)] = System.nanoTime() - began;
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a chat turn failed", failures.getFirst());
        }
    }

    /** Milliseconds at a fraction of the sorted nanosecond latencies. */
    private static double percentile(long[] sorted, double fraction) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(fraction * sorted.length) - 1)] / 1e6;
    }

    /** The backend's counters now, by name. */
    private static Map<String, Double> counters(DatabaseService db) {
        Map<String, Double> counters = new java.util.TreeMap<>();
        db.meters().stream().filter(m -> m.kind() == dev.orbit.db.BackendMeter.Kind.COUNTER)
                .forEach(m -> counters.put(m.name(), m.value().getAsDouble()));
        return counters;
    }

    /** The process's I/O counters ({@code syscr}, {@code rchar}, ...) on Linux; empty elsewhere. */
    private static Map<String, Long> processIo() {
        Map<String, Long> io = new java.util.HashMap<>();
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/io"))) {
                String[] parts = line.split(":\\s*");
                if (parts.length == 2) {
                    io.put(parts[0], Long.parseLong(parts[1].strip()));
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return Map.of();
        }
        return io;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
