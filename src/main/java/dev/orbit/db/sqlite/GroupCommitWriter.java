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

/**
 * The single writer of a database file, with group commit. Writers queue up; the one at the head runs
 * every waiting job in one transaction (each inside its own savepoint, so one failure undoes only
 * itself), commits once, and hands each caller its result only after that commit. Under load one
 * fsync and one lock acquisition serve many writes; alone, a write is one plain transaction.
 *
 * <p>No extra thread: the leader is whichever caller reached the head (LevelDB's writer queue).
 * Exclusive jobs (user transactions) and jobs outside a transaction (the checkpoint that resets the WAL) run
 * alone and only on their caller's own thread.
 */
final class GroupCommitWriter implements AutoCloseable {
    /** Bounds the time one batch holds the write lock, and the work lost to one failed commit. */
    private static final int MAX_BATCH = 512;

    private final SqlConnection connection;
    private final Function<SQLException, DatabaseException> errors;
    /** Bounds the extra latency a leader accepts while gathering companions. */
    private static final int MAX_GATHER_ROUNDS = 8;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    /** Signalled when the commits reach {@link #awaitedCommits} (one waiter: the WAL checkpointer). */
    private final Condition commitsReached = lock.newCondition();
    private long awaitedCommits = Long.MAX_VALUE;
    private final ArrayDeque<Pending<?>> queue = new ArrayDeque<>();
    private volatile Thread leader;
    private volatile int lastBatchSize;
    private boolean closed;
    // Written by the leader outside the lock, read by anyone: counters that need no lock.
    private final LongAdder commits = new LongAdder();
    private final LongAdder committedWrites = new LongAdder();

    /**
     * @param errors turns a failure of BEGIN/COMMIT (which fails the whole batch) into the layer's exception
     */
    GroupCommitWriter(SqlConnection connection, Function<SQLException, DatabaseException> errors) {
        this.connection = connection;
        this.errors = errors;
    }

    /** Runs a job in a transaction, possibly together with other callers' jobs; returns after commit. */
    <T> T write(SqlWork<T> job) {
        return submit(job, Mode.GROUPED);
    }

    /** Runs a job alone in its own transaction on the calling thread (user code may run inside). */
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
     * counted), and how many jobs are queued now, the running batch included. Commits per stored write is
     * what group commit saves.
     */
    Stats stats() {
        return new Stats(commits.sum(), committedWrites.sum(), queueSize());
    }

    /** See {@link #stats()}. */
    record Stats(long commits, long committedWrites, int queued) {
    }

    /** Whether the current thread is running a batch (so waiting for the writer would deadlock). */
    boolean isWriterThread() {
        return leader == Thread.currentThread();
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
        List<Pending<?>> batch;
        lock.lock();
        try {
            if (closed) {
                throw new DatabaseException("the SQLite database is closed");
            }
            queue.addLast(mine);
            while (!mine.done && queue.peekFirst() != mine) {
                mine.wakeUp.awaitUninterruptibly();
            }
            if (mine.done) {
                return mine.outcome(errors);
            }
        } finally {
            lock.unlock();
        }
        if (mode == Mode.GROUPED) {
            gatherCompanions();
        }
        lock.lock();
        try {
            batch = takeBatch(mine);
        } finally {
            lock.unlock();
        }
        leader = Thread.currentThread();
        try {
            if (mode == Mode.BARE) {
                mine.run(connection);
            } else {
                runBatch(batch);
            }
        } finally {
            leader = null;
            finish(batch);
        }
        return mine.outcome(errors);
    }

    /**
     * When other writers are active, gives them the CPU until no more join the queue: writers just woken
     * from the previous commit are about to enqueue, and each that makes it shares this commit instead of
     * paying for its own. Alone, a writer does not wait at all.
     */
    private void gatherCompanions() {
        int seen = queueSize();
        if (seen <= 1 && lastBatchSize <= 1) {
            return;
        }
        for (int round = 0; round < MAX_GATHER_ROUNDS; round++) {
            Thread.yield();
            int now = queueSize();
            if (now == seen || now >= MAX_BATCH) {
                return;
            }
            seen = now;
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
        lastBatchSize = batch.size();
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
            throw e;
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

    /** Marks the batch done, wakes its callers, and wakes the next head. */
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
            Pending<?> next = queue.peekFirst();
            if (next != null) {
                next.wakeUp.signal();
            } else {
                idle.signalAll();
            }
            if (commits.sum() >= awaitedCommits) {
                commitsReached.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits for queued writes to finish, then refuses new ones and closes the connection. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            commitsReached.signalAll();
            while (!queue.isEmpty()) {
                idle.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            throw errors.apply(e);
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

        Pending(SqlWork<T> job, Mode mode, Condition wakeUp) {
            this.job = job;
            this.mode = mode;
            this.wakeUp = wakeUp;
        }

        void run(SqlConnection connection) {
            ran = true;
            try {
                result = job.run(connection);
            } catch (SQLException | RuntimeException | Error e) {
                error = e;
            }
        }

        /** The result, or the job's own exception rethrown unchanged (an SQLException translated). */
        T outcome(Function<SQLException, DatabaseException> errors) {
            return switch (error) {
                case null -> result;
                case SQLException e -> throw errors.apply(e);
                case RuntimeException e -> throw e;
                case Error e -> throw e;
                default -> throw new IllegalStateException(error);
            };
        }
    }
}
