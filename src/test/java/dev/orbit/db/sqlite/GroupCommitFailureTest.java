package dev.orbit.db.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.db.DatabaseException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.ProgressHandler;

/**
 * The writer when a batch cannot be committed, with real SQLite failures injected: a statement that SQLite
 * answers by rolling back the whole transaction (an interrupt), and a COMMIT refused by a deferred foreign
 * key. Whatever happens, a caller told "stored" must find its row, and a caller told "failed" must not.
 */
class GroupCommitFailureTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private GroupCommitWriter writer;
    private final Map<String, Object> outcomes = new ConcurrentHashMap<>();
    private final List<Thread> callers = new ArrayList<>();

    @BeforeEach
    void open() throws SQLException {
        Path file = dir.resolve("writer.db");
        RawSqlite.execute(file, "CREATE TABLE t (k TEXT PRIMARY KEY)",
                "CREATE TABLE parent (id INTEGER PRIMARY KEY)",
                "CREATE TABLE child (id INTEGER PRIMARY KEY,"
                        + " parent_id INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)");
        SqlConnection connection = new SqlConnection(RawSqlite.open(file));
        connection.execute("PRAGMA foreign_keys = ON");
        writer = new GroupCommitWriter(connection, e -> SqliteErrors.translate(e, "commit", null));
    }

    @AfterEach
    void close() throws InterruptedException {
        Thread closer = Thread.ofPlatform().daemon().start(writer::close);
        closer.join(LIMIT.toMillis());
        assertThat(closer.isAlive()).as("close() returned (the writer is not stuck)").isFalse();
    }

    @Test
    void an_error_that_rolls_back_the_transaction_fails_the_whole_batch_and_runs_nothing_after_it() throws Exception {
        CountDownLatch release = holdWriter();
        queue("before", insert("before"));
        queue("interrupted", interruptedInsert("interrupted"));
        queue("after", insert("after"));
        release.countDown();
        joinCallers();

        assertToldStoredExactlyWhatIsStored();
        assertThat(outcomes).as("every job of the batch is in doubt, so every caller is told it failed")
                .allSatisfy((job, outcome) -> assertThat(outcome).as(job).isInstanceOf(DatabaseException.class));
    }

    @Test
    void a_failed_commit_fails_every_caller_of_the_batch() throws Exception {
        CountDownLatch release = holdWriter();
        queue("first", insert("first"));
        queue("orphan", c -> {
            // Checked only at COMMIT: the statement itself succeeds.
            c.execute("INSERT INTO child (parent_id) VALUES (99)");
            return "stored";
        });
        queue("last", insert("last"));
        release.countDown();
        joinCallers();

        assertThat(outcomes).as("COMMIT failed, so nothing was stored and every caller is told so")
                .allSatisfy((job, outcome) -> assertThat(outcome).as(job).isInstanceOf(DatabaseException.class));
        assertToldStoredExactlyWhatIsStored();
        assertThat(count("child")).isZero();
        assertThat(writer.stats().commits()).as("the holder's commit only").isEqualTo(1);
    }

    @Test
    void after_a_failed_batch_the_writer_commits_the_next_one() throws Exception {
        CountDownLatch release = holdWriter();
        queue("first", insert("first"));
        queue("interrupted", interruptedInsert("interrupted"));
        release.countDown();
        joinCallers();

        queue("next", insert("next"));
        joinCallers();

        assertThat(outcomes.get("next")).isEqualTo("stored");
        assertToldStoredExactlyWhatIsStored();
    }

    // ---- jobs ----

    private static SqlWork<Object> insert(String key) {
        return c -> {
            PreparedStatement statement = c.prepare("INSERT INTO t (k) VALUES (?)");
            statement.setString(1, key);
            statement.executeUpdate();
            return "stored";
        };
    }

    /**
     * An insert that SQLite interrupts (a progress handler asking to stop): inside an explicit transaction,
     * SQLite then rolls back the whole transaction, the jobs before it included.
     */
    private static SqlWork<Object> interruptedInsert(String key) {
        return c -> {
            ProgressHandler.setHandler(c.jdbc(), 1, new ProgressHandler() {
                @Override
                protected int progress() {
                    return 1;
                }
            });
            try {
                return insert(key).run(c);
            } finally {
                ProgressHandler.clearHandler(c.jdbc());
                c.forgetStatements();
            }
        };
    }

    // ---- helpers ----

    /** Holds the writer in an exclusive job until the latch is released, so that the jobs queued meanwhile form one batch. */
    private CountDownLatch holdWriter() throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        callers.add(Thread.ofPlatform().start(() -> writer.exclusive(c -> {
            holding.countDown();
            try {
                return release.await(LIMIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        })));
        assertThat(holding.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).as("the holder runs").isTrue();
        return release;
    }

    /** Submits a job on a thread of its own, returning once it is in the queue (so jobs queue in call order). */
    private void queue(String name, SqlWork<Object> job) throws InterruptedException {
        int queuedBefore = writer.stats().queued();
        callers.add(Thread.ofPlatform().start(() -> {
            try {
                outcomes.put(name, writer.write(job));
            } catch (RuntimeException e) {
                outcomes.put(name, e);
            }
        }));
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (writer.stats().queued() == queuedBefore && !outcomes.containsKey(name)) {
            assertThat(System.nanoTime()).as(name + " queued in time").isLessThan(deadline);
            Thread.sleep(2);
        }
    }

    private void joinCallers() throws InterruptedException {
        for (Thread caller : callers) {
            caller.join(LIMIT.toMillis());
            assertThat(caller.isAlive()).as("caller finished").isFalse();
        }
        callers.clear();
    }

    private void assertToldStoredExactlyWhatIsStored() throws SQLException {
        Set<String> toldStored = new TreeSet<>();
        outcomes.forEach((job, outcome) -> {
            if ("stored".equals(outcome)) {
                toldStored.add(job);
            }
        });
        assertThat(storedKeys()).as("rows present = writes whose callers were told stored").isEqualTo(toldStored);
    }

    private Set<String> storedKeys() throws SQLException {
        Set<String> keys = new TreeSet<>();
        for (Map<String, Object> row : RawSqlite.query(dir.resolve("writer.db"), "SELECT k FROM t")) {
            keys.add((String) row.get("k"));
        }
        return keys;
    }

    private long count(String table) throws SQLException {
        return ((Number) RawSqlite.scalar(dir.resolve("writer.db"), "SELECT count(*) FROM " + table)).longValue();
    }
}
