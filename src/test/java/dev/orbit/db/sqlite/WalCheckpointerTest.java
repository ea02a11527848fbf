package dev.orbit.db.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.db.Document;
import dev.orbit.db.OrbitSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WAL checkpointer: commits leave checkpoints to it, it bounds the WAL, it shares a file with others. */
class WalCheckpointerTest {
    /** Rows of about one page each per commit. */
    private static final int PAGES_PER_COMMIT = 100;

    @TempDir
    Path dir;

    @Test
    void the_writer_leaves_checkpoints_to_the_checkpointer_which_starts_the_wal_over() throws Exception {
        SqliteConnections connections = new SqliteConnections(SqliteOptions.defaults(dir.resolve("orbit.db")));
        try (DatabaseFileSync sync = DatabaseFileSync.open(newFile(dir.resolve("orbit.db")));
             GroupCommitWriter writer = writerOfNewTable(connections);
             SqlConnection probe = connections.openCheckpointer()) {
            // No checkpointer yet: past the 10,000 pages at which the writer used to checkpoint inside a commit,
            // every page is still in the WAL, none copied back.
            int before = 11_000;
            writePages(writer, before);
            WalCheckpointer.Result untouched = WalCheckpointer.run(probe, "PASSIVE");
            assertThat(untouched.walPages()).isGreaterThanOrEqualTo(before);
            assertThat(untouched.complete()).isTrue(); // the probe copied it all now; the WAL is not reset yet

            // Without the checkpointer the WAL would grow to the writer's own threshold, as many pages as written.
            long walLimit = (long) SqliteConnections.WAL_AUTOCHECKPOINT_PAGES * 4096;
            try (WalCheckpointer checkpointer = new WalCheckpointer(connections.openCheckpointer(), sync, writer)) {
                long largest = 0;
                for (int written = 0; written < SqliteConnections.WAL_AUTOCHECKPOINT_PAGES; written += PAGES_PER_COMMIT) {
                    writePages(writer, PAGES_PER_COMMIT);
                    largest = Math.max(largest, Files.size(wal()));
                    if (written % WalCheckpointer.PASS_PAGES == 0) {
                        // As a server's writes leave the thread CPU; this one writes nothing else but pages.
                        awaitAnotherPass(checkpointer, writer);
                    }
                }
                assertThat(checkpointer.stats().resets()).isPositive();
                assertThat(checkpointer.stats().failures()).isZero();
                assertThat(checkpointer.stats().syncFailures()).isZero();
                // Started over before the writer's own threshold (60,000 pages, 240 MiB); on a quiet machine at about
                // 10,000 pages, or up to 30,000 when they were written within a second, later when the checkpointer's
                // thread gets little CPU.
                assertThat(largest).isLessThan(walLimit);
                // Started over: far fewer pages than the 11,000 + 60,000 written (how many depends on when the last
                // reset came, at most once a second below 30,000 pages).
                assertThat(WalCheckpointer.run(probe, "PASSIVE").walPages())
                        .isLessThan(SqliteConnections.WAL_AUTOCHECKPOINT_PAGES);
            }
        }
    }

    @Test
    void a_wal_is_started_over_from_the_reset_size_at_most_once_a_second_unless_it_reached_the_largest() {
        Duration now = Duration.ZERO;
        Duration second = WalCheckpointer.MIN_RESET_INTERVAL;
        assertThat(WalCheckpointer.resetDue(WalCheckpointer.RESET_PAGES - 1, second)).isFalse();
        assertThat(WalCheckpointer.resetDue(WalCheckpointer.RESET_PAGES, second)).isTrue();
        assertThat(WalCheckpointer.resetDue(WalCheckpointer.RESET_PAGES, second.minusMillis(1))).isFalse();
        assertThat(WalCheckpointer.resetDue(WalCheckpointer.MAX_RESET_PAGES - 1, now)).isFalse();
        assertThat(WalCheckpointer.resetDue(WalCheckpointer.MAX_RESET_PAGES, now)).isTrue();
        // The writer's own checkpoint, inside a commit, stays a backstop beyond the largest reset.
        assertThat(SqliteConnections.WAL_AUTOCHECKPOINT_PAGES).isGreaterThan(WalCheckpointer.MAX_RESET_PAGES);
    }

    @Test
    void commits_wake_the_checkpointer_which_sleeps_while_nothing_is_written() throws Exception {
        SqliteConnections connections = new SqliteConnections(SqliteOptions.defaults(dir.resolve("orbit.db")));
        try (DatabaseFileSync sync = DatabaseFileSync.open(newFile(dir.resolve("orbit.db")));
             GroupCommitWriter writer = writerOfNewTable(connections);
             WalCheckpointer checkpointer = new WalCheckpointer(connections.openCheckpointer(), sync, writer)) {
            assertThat(checkpointer.stats().passes()).isZero();
            // Enough pages for a pass: the thread wakes after the commits its estimate asks for.
            writePages(writer, 2 * WalCheckpointer.PASS_PAGES);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (checkpointer.stats().passes() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(checkpointer.stats().passes()).isPositive();
        }
    }

    @Test
    void two_services_on_one_file_checkpoint_side_by_side_without_an_error() throws Exception {
        Path file = dir.resolve("orbit.db");
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        try (SqliteDatabaseService first = open(file); SqliteDatabaseService second = open(file)) {
            List<Thread> writers = IntStream.range(0, 8).mapToObj(t -> Thread.ofVirtual().start(() -> {
                SqliteDatabaseService db = t % 2 == 0 ? first : second;
                try {
                    for (int i = 0; i < 400; i++) {
                        String session = "s-" + t + "-" + (i % 50);
                        db.insertMany(OrbitSchema.CHAT_HISTORY, IntStream.range(0, 20)
                                .mapToObj(m -> message(session, "x".repeat(2_000))).toList());
                    }
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            })).toList();
            for (Thread writer : writers) {
                writer.join();
            }
            assertThat(failures).isEmpty();
            WalCheckpointer.Stats a = first.checkpointer().stats();
            WalCheckpointer.Stats b = second.checkpointer().stats();
            assertThat(a.failures() + b.failures()).isZero();
            assertThat(a.passes() + b.passes()).isPositive();
            assertThat(first.count(OrbitSchema.CHAT_HISTORY, dev.orbit.db.Filters.all())).isEqualTo(8 * 400 * 20);
        }
        // The last connection to close copies the WAL back and removes it.
        assertThat(Files.exists(wal())).isFalse();
    }

    @Test
    void closing_stops_the_thread_and_leaves_no_wal() throws Exception {
        SqliteDatabaseService db = open(dir.resolve("orbit.db"));
        for (int i = 0; i < 50; i++) {
            db.insertMany(OrbitSchema.CHAT_HISTORY, IntStream.range(0, 20)
                    .mapToObj(m -> message("s", "x".repeat(2_000))).toList());
        }
        db.close();

        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("orbit-sqlite-checkpoint"));
        assertThat(Files.exists(wal())).isFalse();
    }

    private SqliteDatabaseService open(Path file) {
        SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(file), OrbitSchema.SCHEMA);
        db.initialize();
        return db;
    }

    private static Document message(String session, String content) {
        return Document.of("session_id", session, "role", "user", "content", content,
                "timestamp", java.time.Instant.now());
    }

    /**
     * Goes on committing, one commit per millisecond, until the checkpointer has made another pass: it passes after
     * commits, never on a timer, so a writer that stopped to wait for it would wait in vain.
     */
    private static void awaitAnotherPass(WalCheckpointer checkpointer, GroupCommitWriter writer)
            throws InterruptedException {
        long before = checkpointer.stats().passes();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (checkpointer.stats().passes() == before && System.nanoTime() < deadline) {
            writePages(writer, PAGES_PER_COMMIT);
            Thread.sleep(1);
        }
    }

    /** A writer of a new WAL database holding one table, {@code t}, without a checkpointer. */
    private static GroupCommitWriter writerOfNewTable(SqliteConnections connections) throws java.sql.SQLException {
        SqlConnection connection = connections.openWriter();
        connections.enableWal(connection);
        connection.execute("CREATE TABLE t (x BLOB)");
        return new GroupCommitWriter(connection, e -> new dev.orbit.db.DatabaseException(e.getMessage(), e));
    }

    /** Commits {@code pages} pages of new rows, {@link #PAGES_PER_COMMIT} per commit. */
    /** The path, an empty file created now (SQLite takes an empty file for a new database). */
    private static Path newFile(Path file) throws IOException {
        return Files.createFile(file);
    }

    private static void writePages(GroupCommitWriter writer, int pages) {
        for (int done = 0; done < pages; done += PAGES_PER_COMMIT) {
            writer.write(c -> {
                c.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
                        + PAGES_PER_COMMIT + ") INSERT INTO t SELECT randomblob(3500) FROM n");
                return null;
            });
        }
    }

    private Path wal() {
        return dir.resolve("orbit.db-wal");
    }
}
