package dev.orbit.db.sqlite;

import dev.orbit.db.DatabaseException;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of a database file, with group commit. Callers queue their jobs; the writer's own thread runs
 * every job waiting when it is free in one transaction (each job is one statement or undoes itself, see {@link
 * #runBatch}, so one failure undoes only itself), commits once, and hands each caller its result only after that
 * commit. Under load one lock acquisition (and one fsync, when there is one) serves many writes; alone, a write is
 * one plain transaction.
 *
 * <p>A thread of its own, a platform thread, and not whichever caller reached the head of the queue: callers are
 * virtual threads, and a virtual thread running SQLite's native code holds its carrier (one of as many as the
 * machine has cores) for the whole batch, while the next head waited for the virtual-thread scheduler before it could
 * start, behind every request that was ready to run. With the caller as leader, the writer held its transaction
 * 58% of a chat benchmark's time while turns queued for it 8.5 ms on average. Exclusive jobs (user transactions) and
 * jobs outside a transaction (the checkpoint that resets the WAL) run alone on this thread too.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    /** Bounds the time one batch holds the write lock, and the work lost to one failed commit. */
    private static final int MAX_BATCH = 512;

    private final SqlConnection connection;
    private final Function<SQLException, DatabaseException> errors;
    private final Thread thread;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a job is queued or the writer is closed (one waiter: the writer's thread). */
    private final Condition queued = lock.newCondition();
    /** Signalled when the commits reach {@link #awaitedCommits} (one waiter: the WAL checkpointer). */
    private final Condition commitsReached = lock.newCondition();
    private long awaitedCommits = Long.MAX_VALUE;
    /** The jobs not done yet, the running batch first. */
    private final ArrayDeque<Pending<?>> queue = new ArrayDeque<>();
    private boolean closed;
    // Written by the writer's thread outside the lock, read by anyone: counters that need no lock.
    private final LongAdder commits = new LongAdder();
    private final LongAdder committedWrites = new LongAdder();
    private final LongAdder busyNanos = new LongAdder();

    /**
     * Starts the writer's thread on {@code connection}, which it owns from now on.
     *
     * @param errors turns a failure of BEGIN/COMMIT (which fails the whole batch) into the layer's exception
     */
    GroupCommitWriter(SqlConnection connection, Function<SQLException, DatabaseException> errors) {
        this.connection = connection;
        this.errors = errors;
        this.thread = Thread.ofPlatform().daemon().name("orbit-sqlite-writer").unstarted(this::run);
        thread.start();
    }

    /** Runs a job in a transaction, possibly together with other callers' jobs; returns after commit. */
    <T> T write(SqlWork<T> job) {
        return submit(job, Mode.GROUPED);
    }

    /** Runs a job alone in its own transaction (user code may run inside, on the writer's thread). */
    <T> T exclusive(SqlWork<T> job) {
        return submit(job, Mode.EXCLUSIVE);
    }

    /**
     * Runs a job alone on the writer's connection outside any transaction, between two batches: a checkpoint,
     * which SQLite refuses inside a transaction. The job must not change data (nothing would commit it).
     */
    <T> T outsideTransaction(SqlWork<T> job) {
        return submit(job, Mode.BARE);
    }

    /**
     * Waits until this writer has made at least {@code count} commits since it opened, or is closed. For one
     * waiting thread at a time (the WAL checkpointer): it sleeps while nothing is written instead of polling.
     */
    void awaitCommits(long count) throws InterruptedException {
        lock.lock();
        try {
            while (!closed && commits.sum() < count) {
                awaitedCommits = count;
                commitsReached.await();
            }
        } finally {
            awaitedCommits = Long.MAX_VALUE;
            lock.unlock();
        }
    }

    /**
     * How many commits this writer made, how many jobs they stored (a failed job in a committed batch is not
     * counted), how many jobs are queued now, the running batch included, and how long batches held the
     * write transaction, in nanoseconds. Commits per stored write is what group commit saves; the busy time
     * per second is how close the single writer is to its limit.
     */
    Stats stats() {
        return new Stats(commits.sum(), committedWrites.sum(), queueSize(), busyNanos.sum());
    }

    /** See {@link #stats()}. */
    record Stats(long commits, long committedWrites, int queued, long busyNanos) {
    }

    /** Whether the current thread is the writer's (so waiting for the writer would deadlock). */
    boolean isWriterThread() {
        return thread == Thread.currentThread();
    }

    /** How a job runs: with other jobs in one transaction, alone in its own, or alone outside any. */
    private enum Mode {
        GROUPED, EXCLUSIVE, BARE
    }

    private <T> T submit(SqlWork<T> job, Mode mode) {
        if (isWriterThread()) {
            throw new IllegalStateException("a write inside executeTransaction must use the transaction's"
                    + " DocumentStore, not the DatabaseService (it would wait for itself)");
        }
        Pending<T> mine = new Pending<>(job, mode, lock.newCondition());
        lock.lock();
        try {
            if (closed) {
                throw new DatabaseException("the SQLite database is closed");
            }
            queue.addLast(mine);
            queued.signal();
            while (!mine.done) {
                mine.wakeUp.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
        if (mine.interrupted) {
            Thread.currentThread().interrupt(); // the job's, handed back to its caller
        }
        return mine.outcome(errors);
    }

    /**
     * The writer's thread: runs whatever is queued, batch after batch, until it is closed and nothing is left. Jobs
     * queued while a batch runs make the next one, so the batches grow with the load without waiting for anyone.
     */
    private void run() {
        try {
            runBatches();
        } catch (Throwable e) {
            // Only the writer's own machinery can end here (a job's failure is its caller's): refuse what comes next
            // and fail what waits, rather than leave callers waiting for a thread that is gone.
            LOG.error("the SQLite writer stopped; every write now fails", e);
            lock.lock();
            try {
                closed = true;
                for (Pending<?> p : queue) {
                    p.done = true;
                    p.error = new DatabaseException("the SQLite writer stopped: " + e, e);
                    p.wakeUp.signal();
                }
                queue.clear();
                commitsReached.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void runBatches() {
        while (true) {
            List<Pending<?>> batch;
            lock.lock();
            try {
                while (queue.isEmpty() && !closed) {
                    queued.awaitUninterruptibly();
                }
                if (queue.isEmpty()) {
                    return;
                }
                batch = takeBatch(queue.peekFirst());
            } finally {
                lock.unlock();
            }
            try {
                if (batch.getFirst().mode == Mode.BARE) {
                    batch.getFirst().run(connection);
                } else {
                    runBatch(batch);
                }
            } catch (RuntimeException e) {
                // Not a job's own failure (each job keeps its own): the batch's outcome is unknown to its callers.
                failAll(batch, e);
            } finally {
                finish(batch);
            }
        }
    }

    private int queueSize() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** The head's batch: itself alone unless grouped, else every queued grouped job up to the cap. */
    private List<Pending<?>> takeBatch(Pending<?> head) {
        List<Pending<?>> batch = new ArrayList<>();
        for (Pending<?> p : queue) {
            boolean alone = p.mode != Mode.GROUPED || head.mode != Mode.GROUPED;
            if (batch.size() == MAX_BATCH || (!batch.isEmpty() && alone)) {
                break;
            }
            batch.add(p);
        }
        return batch;
    }

    /**
     * Runs the batch in one transaction. Jobs need no savepoint each: every job is one SQL statement, or
     * statements of which a failing one leaves nothing behind (an upsert's insert after an empty update),
     * or wraps itself in a savepoint (an insert of more rows than one statement takes), and SQLite undoes a
     * failed statement alone.
     */
    private void runBatch(List<Pending<?>> batch) {
        long start = System.nanoTime();
        try {
            runBatchTransaction(batch);
        } finally {
            busyNanos.add(System.nanoTime() - start);
        }
    }

    private void runBatchTransaction(List<Pending<?>> batch) {
        try {
            connection.execute("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            failAll(batch, errors.apply(e));
            return;
        }
        try {
            for (Pending<?> p : batch) {
                p.run(connection);
                if (p.error != null && batch.size() > 1 && SqliteErrors.endsTransaction(p.error)) {
                    // The jobs before it may have been rolled back with it: none of the batch is safe.
                    rollbackQuietly(p.error);
                    failAll(batch, p.error);
                    return;
                }
            }
            if (batch.size() == 1 && batch.getFirst().error != null) {
                connection.execute("ROLLBACK");
            } else {
                connection.execute("COMMIT");
                commits.increment();
                committedWrites.add(batch.stream().filter(p -> p.error == null).count());
            }
        } catch (SQLException e) {
            rollbackQuietly(e);
            failAll(batch, errors.apply(e));
        } catch (RuntimeException | Error e) {
            rollbackQuietly(e);
            failAll(batch, e);
        }
    }

    private void rollbackQuietly(Throwable cause) {
        try {
            connection.execute("ROLLBACK");
        } catch (SQLException rollbackFailure) {
            // "no transaction is active" when the failure was BEGIN's or COMMIT already ended it.
            cause.addSuppressed(rollbackFailure);
        }
    }

    private static void failAll(List<Pending<?>> batch, Throwable e) {
        for (Pending<?> p : batch) {
            p.result = null;
            p.error = e;
        }
    }

    /** Marks the batch done and wakes its callers. */
    private void finish(List<Pending<?>> batch) {
        lock.lock();
        try {
            for (Pending<?> p : batch) {
                queue.removeFirst();
                p.done = true;
                if (p.error == null && !p.ran) {
                    p.error = new DatabaseException("write abandoned: the writer failed before running it");
                }
                p.wakeUp.signal();
            }
            if (commits.sum() >= awaitedCommits) {
                commitsReached.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs the queued writes, then refuses new ones, stops the writer's thread and closes the connection. */
    @Override
    public void close() {
        if (isWriterThread()) {
            throw new IllegalStateException("the SQLite writer cannot be closed from inside one of its jobs");
        }
        lock.lock();
        try {
            closed = true;
            queued.signal();
            commitsReached.signalAll();
        } finally {
            lock.unlock();
        }
        joinUninterruptibly(thread);
        try {
            connection.close();
        } catch (SQLException e) {
            throw errors.apply(e);
        }
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** One caller's job and, once done, its outcome. Guarded by the writer's lock, except while running. */
    private static final class Pending<T> {
        final SqlWork<T> job;
        final Mode mode;
        final Condition wakeUp;
        T result;
        Throwable error;
        boolean ran;
        boolean done;
        /** Whether the job left the writer's thread interrupted (cleared there, set again on the caller's). */
        boolean interrupted;

        Pending(SqlWork<T> job, Mode mode, Condition wakeUp) {
            this.job = job;
            this.mode = mode;
            this.wakeUp = wakeUp;
        }

        void run(SqlConnection connection) {
            ran = true;
            try {
                result = job.run(connection);
            } catch (Throwable e) {
                // Any throwable, checked ones thrown sneakily by user code too: it is the caller's to see.
                error = e;
            }
            interrupted = Thread.interrupted();
        }

        /** The result, or the job's own exception rethrown unchanged (an SQLException translated). */
        T outcome(Function<SQLException, DatabaseException> errors) {
            return switch (error) {
                case null -> result;
                case SQLException e -> throw errors.apply(e);
                case RuntimeException e -> throw e;
                case Error e -> throw e;
                default -> throw new DatabaseException("the write failed: " + error, error);
            };
        }
    }
}
