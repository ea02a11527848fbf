package dev.orbit.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes conversation audit records and usage rollups off the request path.
 * <ul>
 * <li>{@link #offer} never blocks nor wakes anything: a lock-free queue, bounded by a counter (a full queue drops
 * the record, counts it and logs it, at most once a minute). The writer thread looks at the queue every
 * {@link #TICK} by itself.</li>
 * <li>Records are written in small inserts ({@code batchSize} rows) as soon as that many wait, else at least every
 * flush interval. Each insert is one job of the database's writer (SQLite's group commit serves it between chat
 * turns' writes), so a chat write queued behind the audit waits for at most one small insert.</li>
 * <li>Usage is summed in memory ({@link UsageTally}) and each rollup raised by one {@code $inc} upsert per flush
 * interval, however many calls it counts.</li>
 * </ul>
 * {@link #close} writes the rest. What a crash (not a stop) may lose is what queued or was tallied since the last
 * flush: at most one flush interval of calls (records are usually written sooner). A failed write is logged and
 * counted with the records it lost, never silently.
 */
public final class AuditWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);
    private static final long WARN_EVERY_NANOS = Duration.ofMinutes(1).toNanos();
    /** How often the writer looks for a full insert's worth of records (chats never wake it). */
    static final Duration TICK = Duration.ofMillis(20);

    private final AuditService audit;
    private final UsageService usage;
    private final Queue<ChatEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final int queueCapacity;
    private final int batchSize;
    private final long flushNanos;
    private final long tickNanos;
    private final UsageTally tally;
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    /** Calls whose record and rollups were both written (or failed and were counted). */
    private final AtomicLong settled = new AtomicLong();
    private final AtomicLong rollupFailures = new AtomicLong();
    private volatile boolean flushRequested;
    private volatile boolean closing;
    private volatile long lastDropWarning = System.nanoTime() - WARN_EVERY_NANOS;

    /** @param batchSize records per insert */
    public AuditWriter(AuditService audit, UsageService usage, int queueCapacity, int batchSize, Duration flushInterval) {
        this.audit = audit;
        this.usage = usage;
        this.queueCapacity = queueCapacity;
        this.batchSize = batchSize;
        this.flushNanos = flushInterval.toNanos();
        this.tickNanos = Math.min(TICK.toNanos(), flushNanos);
        this.tally = usage.tally();
        this.thread = Thread.ofPlatform().daemon().name("orbit-audit-writer").start(this::run);
    }

    /** Queues the record; returns false (and counts it) when the queue is full or the writer has stopped. */
    /** How long close waits for a record whose chat has counted it but not yet queued it. */
    private static final Duration STRAGGLER_WAIT = Duration.ofSeconds(1);

    public boolean offer(ChatEvent event) {
        if (!closing) {
            if (queued.incrementAndGet() <= queueCapacity) {
                queue.add(event);
                accepted.incrementAndGet();
                return true;
            }
            queued.decrementAndGet();
        }
        long total = dropped.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastDropWarning >= WARN_EVERY_NANOS) {
            lastDropWarning = now;
            LOG.warn("conversation audit queue full or stopped: {} records dropped so far (raise"
                    + " internal_services.audit.queue_capacity or lower flush_interval_ms)", total);
        }
        return false;
    }

    public long dropped() {
        return dropped.get();
    }

    public long failed() {
        return failed.get();
    }

    public long rollupFailures() {
        return rollupFailures.get();
    }

    public long written() {
        return written.get();
    }

    /** Records waiting to be written. */
    public int pending() {
        return queued.get();
    }

    private void run() {
        long nextFlush = System.nanoTime() + flushNanos;
        while (true) {
            long now = System.nanoTime();
            boolean stopping = closing;
            boolean due = stopping || flushRequested || now - nextFlush >= 0;
            if (due) {
                flushRequested = false;
                nextFlush = now + flushNanos;
            }
            writeRecords(due);
            if (due) {
                writeRollups();
            }
            if (stopping) {
                return;
            }
            if (queued.get() < batchSize) {
                LockSupport.parkNanos(this, Math.min(tickNanos, Math.max(0, nextFlush - System.nanoTime())));
            }
        }
    }

    /**
     * Writes what waits now in full inserts, and when due the rest too. Records that queue meanwhile wait for the
     * next round, so that a database slower than the chats cannot keep the rollups from their flush interval.
     */
    private void writeRecords(boolean due) {
        int waiting = queued.get();
        int records = due ? waiting : waiting - waiting % batchSize;
        List<ChatEvent> batch = new ArrayList<>(batchSize);
        ChatEvent event;
        while (records > 0 && (event = queue.poll()) != null) {
            queued.decrementAndGet();
            records--;
            batch.add(event);
            if (batch.size() == batchSize) {
                write(batch);
                batch.clear();
            }
        }
        write(batch);
    }

    private void write(List<ChatEvent> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            audit.recordChats(batch, usage.prices());
            written.addAndGet(batch.size());
        } catch (RuntimeException e) {
            long total = failed.addAndGet(batch.size());
            LOG.error("writing {} conversation audit records failed ({} lost so far)", batch.size(), total, e);
        }
        try {
            batch.forEach(tally::add);
        } catch (RuntimeException e) {
            // Caught so the writer thread lives on: a dead writer would drop every later record as "queue full".
            long total = rollupFailures.addAndGet(batch.size());
            LOG.error("adding {} calls to the usage tally failed ({} calls missing from the rollups so far)",
                    batch.size(), total, e);
        }
    }

    private void writeRollups() {
        if (tally.isEmpty()) {
            return;
        }
        long calls = tally.calls();
        try {
            usage.add(tally);
        } catch (RuntimeException e) {
            long total = rollupFailures.addAndGet(calls);
            LOG.error("adding {} calls to the usage rollups failed ({} calls missing from the rollups so far)",
                    calls, total, e);
        }
        tally.clear();
        settled.addAndGet(calls);
    }

    /** Writes everything queued so far, records and rollups, and waits until it is written (tests, and shutdown). */
    public void flush() {
        long target = accepted.get();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        flushRequested = true;
        LockSupport.unpark(thread);
        while (settled.get() < target && thread.isAlive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops taking records and writes those queued and the rollups tallied. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        LockSupport.unpark(thread);
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
            LOG.warn("the conversation audit writer did not finish in 30 s; {} records may be lost", queued.get());
            return;
        }
        // A chat that passed the closing check as the writer finished: its record is written here. One that has
        // counted itself in `queued` but not yet added its record is waited for briefly, then counted as dropped,
        // so that no accepted record goes missing uncounted.
        long deadline = System.nanoTime() + STRAGGLER_WAIT.toNanos();
        writeRecords(true);
        while (queued.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
            writeRecords(true);
        }
        int missing = queued.getAndSet(0);
        if (missing > 0) {
            LOG.warn("{} conversation audit records were accepted as the writer closed and are lost ({} dropped "
                    + "so far)", missing, dropped.addAndGet(missing));
        }
        writeRollups();
    }
}
