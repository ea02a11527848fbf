package dev.orbit.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes conversation audit records and usage rollups off the request path: {@link #offer} never blocks a chat
 * (a full queue drops the record, counts it and logs it, at most once a minute); one thread writes what has
 * queued at least every flush interval, as one {@code insertMany} and one {@code $inc} upsert per rollup, and
 * {@link #close} writes the rest. What a crash (not a stop) may lose is what queued since the last write: at most
 * one flush interval of calls. A failed write is logged and counted with the records it lost, never silently.
 */
public final class AuditWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);
    private static final long WARN_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    private final AuditService audit;
    private final UsageService usage;
    private final BlockingQueue<ChatEvent> queue;
    private final int batchSize;
    private final Duration flushInterval;
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong rollupFailures = new AtomicLong();
    private volatile boolean closing;
    private volatile long lastDropWarning = System.nanoTime() - WARN_EVERY_NANOS;

    public AuditWriter(AuditService audit, UsageService usage, int queueCapacity, int batchSize, Duration flushInterval) {
        this.audit = audit;
        this.usage = usage;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.batchSize = batchSize;
        this.flushInterval = flushInterval;
        this.thread = Thread.ofPlatform().daemon().name("orbit-audit-writer").start(this::run);
    }

    /** Queues the record; returns false (and counts it) when the queue is full or the writer has stopped. */
    public boolean offer(ChatEvent event) {
        if (!closing && queue.offer(event)) {
            accepted.incrementAndGet();
            return true;
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
        return queue.size();
    }

    private void run() {
        List<ChatEvent> batch = new ArrayList<>(batchSize);
        long nextFlush = System.nanoTime() + flushInterval.toNanos();
        while (true) {
            try {
                long wait = nextFlush - System.nanoTime();
                ChatEvent event = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
                if (event != null) {
                    batch.add(event);
                    queue.drainTo(batch, batchSize - batch.size());
                }
                boolean due = System.nanoTime() >= nextFlush;
                if (batch.size() >= batchSize || (due && !batch.isEmpty())) {
                    write(batch);
                    batch.clear();
                }
                if (due) {
                    nextFlush = System.nanoTime() + flushInterval.toNanos();
                }
                if (closing && queue.isEmpty() && batch.isEmpty()) {
                    return;
                }
            } catch (InterruptedException e) {
                if (closing) {
                    // finish the queue below
                    queue.drainTo(batch);
                    write(batch);
                    return;
                }
            }
        }
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
            usage.add(batch);
        } catch (RuntimeException e) {
            long total = rollupFailures.addAndGet(batch.size());
            LOG.error("adding {} calls to the usage rollups failed ({} calls missing from the rollups so far)",
                    batch.size(), total, e);
        }
        processed.addAndGet(batch.size());
    }

    /** Waits until everything queued so far is written (tests, and {@link #close}). */
    public void flush() {
        long target = accepted.get();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (processed.get() < target && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops taking records and writes those queued (at most one batch per flush of the database's speed). */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
            LOG.warn("the conversation audit writer did not finish in 30 s; {} records may be lost", queue.size());
        }
    }
}
