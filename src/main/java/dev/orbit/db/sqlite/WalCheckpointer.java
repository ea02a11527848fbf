package dev.orbit.db.sqlite;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the WAL back into the database file from its own connection and thread, so that commits do not.
 * SQLite's own automatic checkpoint runs inside the commit that crosses its threshold: the writer then fsyncs
 * the WAL, copies thousands of pages and fsyncs the file while every queued write waits (the p99 of a chat
 * turn was that wait).
 *
 * <p>Each time about {@link #PASS_PAGES} pages were committed, a passive checkpoint copies what the WAL holds;
 * readers and the writer go on meanwhile. SQLite does not say how many pages a commit wrote (one chat turn, or
 * hundreds in one group commit), so the thread waits for a number of this process's commits, estimated from
 * the pages per commit that the last passes found (a pass reports the WAL's size): it sleeps while nothing is
 * written. A WAL that is always being appended to is never fully copied that way, and SQLite starts it over from
 * the beginning only once it is: so when the WAL has grown to {@link #RESET_PAGES}, up to {@link #CATCH_UP_PASSES}
 * more passes catch up, this thread syncs the database file (see {@link #syncDatabaseFile}) and copies what came
 * meanwhile, and then the writer, between two batches, copies the few pages committed since, after which its next
 * commit writes the WAL from its start again. Only that last step makes writes wait: for those few pages and the
 * checkpoint's fsyncs, 4-12 ms on this project's benchmark machine (14-30 ms when the writer's sync also wrote every
 * page the passes had copied since the last reset). So under a load that fills {@link #RESET_PAGES} in less than
 * {@link #MIN_RESET_INTERVAL}, the WAL grows on until that interval has passed, up to {@link #MAX_RESET_PAGES}: at
 * 5,000 chat turns a second it filled 10,000 pages five times a second, and about a turn in twenty waited for a
 * reset.
 * The writer's own automatic checkpoint stays as the backstop, at {@link SqliteConnections#WAL_AUTOCHECKPOINT_PAGES},
 * for when this falls behind (another process writing all the time, a reader holding an old snapshot, this thread
 * starved).
 *
 * <p>Several processes on one file each run one: a checkpoint that finds another one running is skipped
 * ({@code busy}), never an error to anyone. Failures are logged and counted; the backstop bounds the WAL.
 */
final class WalCheckpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);
    /**
     * WAL pages (4 KiB) between two passes: 4 MiB. Each pass fsyncs the WAL and the file, and copies a page
     * changed several times since the last pass only once.
     */
    static final int PASS_PAGES = 1_000;
    /** The most commits between two passes, however few pages they wrote. */
    private static final long MAX_PASS_COMMITS = 1_000;
    /** WAL pages (4 KiB) from which the WAL is started over (at most once per {@link #MIN_RESET_INTERVAL}): 40 MiB. */
    static final int RESET_PAGES = 10_000;
    /** The shortest time between two resets while the WAL is below {@link #MAX_RESET_PAGES}. */
    static final Duration MIN_RESET_INTERVAL = Duration.ofSeconds(1);
    /** WAL pages at which the WAL is started over however recently it was: 120 MiB. */
    static final int MAX_RESET_PAGES = 30_000;
    /** Passes that may follow the first to shrink what is left for the writer to copy while it waits. */
    private static final int CATCH_UP_PASSES = 3;
    /** A pass this small was short, so about as little was committed while it ran. */
    private static final int SMALL_PASS_PAGES = 100;

    private final SqlConnection connection;
    private final DatabaseFileSync databaseFile;
    private final GroupCommitWriter writer;
    private final Thread thread;
    private final LongAdder passes = new LongAdder();
    private final LongAdder busy = new LongAdder();
    private final LongAdder resets = new LongAdder();
    private final LongAdder resetNanos = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder syncFailures = new LongAdder();
    private volatile boolean closed;
    // The estimate of WAL pages per commit, from the last passes; only the thread uses these. It starts as if a
    // commit filled a pass, so that the first commit brings the first pass and the estimate is measured from then.
    private double pagesPerCommit = PASS_PAGES;
    private long commitsAtLastPass;
    private long walPagesAtLastPass;
    /**
     * When the writer last took the last step of a reset ({@link System#nanoTime}), complete or not (a reader on an
     * old snapshot leaves it incomplete, and each try holds the writes as long); as if long ago at first.
     */
    private long lastReset = System.nanoTime() - MIN_RESET_INTERVAL.toNanos();

    /**
     * Starts checkpointing the writer's database through {@code connection}, which it owns from now on, syncing the
     * file through {@code databaseFile} (its owner closes that, after the writer; null with synchronous=off).
     */
    WalCheckpointer(SqlConnection connection, DatabaseFileSync databaseFile, GroupCommitWriter writer) {
        this.connection = connection;
        this.databaseFile = databaseFile;
        this.writer = writer;
        this.thread = Thread.ofPlatform().daemon().name("orbit-sqlite-checkpoint").unstarted(this::run);
        thread.start();
    }

    /** What {@code PRAGMA wal_checkpoint} answers: whether it was blocked, WAL pages, pages copied back. */
    record Result(boolean busy, long walPages, long copiedPages) {
        /** Whether every page of the WAL is in the database file now (so the next commit starts it over). */
        boolean complete() {
            return !busy && walPages == copiedPages;
        }
    }

    /**
     * Passes run, passes skipped for another checkpoint running, WAL resets made, failed passes, the time the
     * writer spent on the last step of resets (writes wait meanwhile), in nanoseconds, and failed syncs of the
     * database file before that step (each left the writer's step to sync all).
     */
    record Stats(long passes, long busy, long resets, long failures, long resetNanos, long syncFailures) {
    }

    Stats stats() {
        return new Stats(passes.sum(), busy.sum(), resets.sum(), failures.sum(), resetNanos.sum(),
                syncFailures.sum());
    }

    private void run() {
        while (!closed) {
            long wait = Math.clamp(Math.round(PASS_PAGES / pagesPerCommit), 1, MAX_PASS_COMMITS);
            try {
                writer.awaitCommits(commitsAtLastPass + wait);
            } catch (InterruptedException e) {
                return;
            }
            if (!closed) {
                checkpointLogged();
            }
        }
    }

    /** Learns the pages per commit from how much the WAL grew since the last pass (it may have started over). */
    private void estimate(long commits, Result pass) {
        if (pass.busy()) {
            // Another connection's checkpoint is copying the WAL; try again after as many commits again.
            commitsAtLastPass = commits;
            return;
        }
        long grown = pass.walPages() >= walPagesAtLastPass ? pass.walPages() - walPagesAtLastPass : pass.walPages();
        if (commits > commitsAtLastPass && grown > 0) {
            pagesPerCommit = (pagesPerCommit + (double) grown / (commits - commitsAtLastPass)) / 2;
        }
        commitsAtLastPass = commits;
        walPagesAtLastPass = pass.walPages();
    }

    private void checkpointLogged() {
        try {
            checkpoint();
        } catch (SQLException | RuntimeException e) {
            // Nobody waits for a checkpoint: the WAL stays bounded by the writer's own checkpoint meanwhile. The next
            // try waits the longest interval, so a lasting failure (a full disk, a read-only file) costs one pass and
            // one line per MAX_PASS_COMMITS commits instead of a spinning thread flooding the log.
            failures.increment();
            commitsAtLastPass = writer.stats().commits() + MAX_PASS_COMMITS;
            LOG.warn("WAL checkpoint failed (the writer's own checkpoint bounds the WAL meanwhile): {}", e.getMessage());
        }
    }

    /** One pass; then, if a reset is due ({@link #resetDue}), the steps that let the WAL start over. */
    private void checkpoint() throws SQLException {
        long commits = writer.stats().commits();
        Result pass = count(run(connection, "PASSIVE"));
        estimate(commits, pass);
        if (pass.busy() || !resetDue(pass.walPages())) {
            return;
        }
        // The first pass copied what the WAL held when it began; each next one what was committed meanwhile,
        // so the writer is left only what is committed during the last.
        long walPages = pass.walPages();
        for (int i = 0; i < CATCH_UP_PASSES; i++) {
            Result catchUp = count(run(connection, "PASSIVE"));
            if (catchUp.busy()) {
                return;
            }
            long committedMeanwhile = catchUp.walPages() - walPages;
            walPages = catchUp.walPages();
            if (committedMeanwhile <= SMALL_PASS_PAGES) {
                break; // a short pass: little was committed during it either
            }
        }
        syncDatabaseFile();
        // What was committed during the sync, copied here too: the writer's step is left less to copy and sync.
        if (count(run(connection, "PASSIVE")).busy()) {
            return;
        }
        // Passive: a reader still on an old snapshot leaves the WAL as it is (a later pass tries again) instead of
        // holding up every write until it finishes.
        lastReset = System.nanoTime();
        Result last = writer.outsideTransaction(c -> {
            long start = System.nanoTime();
            try {
                return run(c, "PASSIVE");
            } finally {
                resetNanos.add(System.nanoTime() - start);
            }
        });
        if (count(last).complete()) {
            resets.increment();
        }
    }

    /**
     * Writes the pages the passes copied into the database file through to the disk, here and not on the writer. A
     * pass that leaves frames behind does not sync the file, so since the last reset it holds a second's worth of
     * copied pages that only the page cache has; the last step, which completes the checkpoint, must sync them all
     * before the WAL may start over, and held every write for it (14-30 ms, the p99 of a chat turn). Synced here
     * first, that step waits for its own few pages only. An extra sync never weakens what SQLite's give.
     */
    private void syncDatabaseFile() {
        if (databaseFile == null) {
            return; // synchronous=off: SQLite syncs nothing, so neither does this
        }
        try {
            databaseFile.sync();
        } catch (IOException e) {
            // Only a head start: the writer's step syncs anyway, and reports a real failure of the disk as SQLite's.
            if (syncFailures.sum() == 0) {
                LOG.warn("syncing the database file before a WAL reset failed (the reset goes on, the writer syncs):"
                        + " {}", e.toString());
            }
            syncFailures.increment();
        }
    }

    private boolean resetDue(long walPages) {
        return resetDue(walPages, Duration.ofNanos(System.nanoTime() - lastReset));
    }

    /**
     * Whether a WAL of {@code walPages} is started over {@code sinceLastReset} after the last reset: from {@link
     * #RESET_PAGES} on, once {@link #MIN_RESET_INTERVAL} has passed; from {@link #MAX_RESET_PAGES} on, always.
     */
    static boolean resetDue(long walPages, Duration sinceLastReset) {
        return walPages >= MAX_RESET_PAGES
                || walPages >= RESET_PAGES && sinceLastReset.compareTo(MIN_RESET_INTERVAL) >= 0;
    }

    private Result count(Result result) {
        (result.busy() ? busy : passes).increment();
        return result;
    }

    /** Runs {@code PRAGMA wal_checkpoint(mode)} on a connection that is not in a transaction. */
    static Result run(SqlConnection c, String mode) throws SQLException {
        try (ResultSet row = c.prepare("PRAGMA wal_checkpoint(" + mode + ")").executeQuery()) {
            if (!row.next()) {
                throw new SQLException("PRAGMA wal_checkpoint returned no row");
            }
            return new Result(row.getInt(1) != 0, row.getLong(2), row.getLong(3));
        }
    }

    /** Stops the thread (waiting for a pass under way) and closes the connection. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("closing the WAL checkpointer's connection: {}", e.getMessage());
        }
    }
}
