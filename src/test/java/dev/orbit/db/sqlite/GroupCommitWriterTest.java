package dev.orbit.db.sqlite;

import static dev.orbit.db.Filters.all;
import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.Filters.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.orbit.config.MonitoringConfig;
import dev.orbit.db.DatabaseException;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.DocumentStore;
import dev.orbit.db.DuplicateKeyException;
import dev.orbit.db.IndexSpec;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.Updates;
import dev.orbit.observability.Metrics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The group-committing writer, observed through the service: batching, failure isolation, transactions. */
class GroupCommitWriterTest {
    private static final String KEYS = OrbitSchema.API_KEYS;
    private static final Duration DEADLOCK_LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private SqliteDatabaseService db;

    @BeforeEach
    void open() {
        db = new SqliteDatabaseService(SqliteOptions.defaults(dir.resolve("orbit.db")), OrbitSchema.SCHEMA);
        db.initialize();
    }

    @AfterEach
    void close() throws InterruptedException {
        // On a separate thread: if a test left the writer deadlocked, close() would wait forever.
        Thread closer = Thread.ofPlatform().daemon().start(db::close);
        closer.join(DEADLOCK_LIMIT.toMillis());
        assertThat(closer.isAlive()).as("close() returned (the writer is not stuck)").isFalse();
    }

    @Test
    void thirty_two_threads_inserting_at_once_fail_exactly_the_duplicate_inserts_and_keep_every_other()
            throws Exception {
        int threads = 32;
        int perThread = 25;
        CountDownLatch start = new CountDownLatch(1);
        Map<String, Integer> successes = new ConcurrentHashMap<>();
        List<String> duplicateFailures = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> unexpected = Collections.synchronizedList(new ArrayList<>());

        List<Thread> workers = IntStream.range(0, threads).mapToObj(t -> Thread.ofPlatform().unstarted(() -> {
            awaitQuietly(start);
            for (int i = 0; i < perThread; i++) {
                String key = i % 5 == 0 ? "shared-" + i : "key-" + t + "-" + i;
                try {
                    db.insertOne(KEYS, apiKey(key));
                    successes.merge(key, 1, Integer::sum);
                } catch (DuplicateKeyException e) {
                    duplicateFailures.add(key);
                } catch (Throwable e) {
                    unexpected.add(e);
                }
            }
        })).toList();
        workers.forEach(Thread::start);
        start.countDown();
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(30));
        }

        assertThat(unexpected).isEmpty();
        int sharedKeys = perThread / 5;
        assertThat(duplicateFailures).as("only inserts of a shared key fail")
                .allMatch(key -> key.startsWith("shared-"))
                .hasSize(sharedKeys * (threads - 1));
        assertThat(successes).as("each key inserted successfully exactly once")
                .hasSize(threads * (perThread - sharedKeys) + sharedKeys)
                .allSatisfy((key, count) -> assertThat(count).as(key).isEqualTo(1));
        assertThat(db.count(KEYS, all())).isEqualTo(successes.size());
        assertThat(db.count(KEYS, in("api_key", List.copyOf(successes.keySet())))).isEqualTo(successes.size());
    }

    @Test
    void a_failing_insert_in_a_group_commit_batch_does_not_undo_its_neighbours() throws Exception {
        db.insertOne(KEYS, apiKey("taken"));
        CountDownLatch release = new CountDownLatch(1);
        // Hold the writer in a transaction so the inserts below queue up and then run as one batch.
        Thread holder = holdWriter(release, tx -> tx.insertOne(KEYS, apiKey("from-transaction")));

        List<String> keys = new ArrayList<>();
        IntStream.range(0, 20).forEach(i -> keys.add("neighbour-" + i));
        keys.add(7, "taken");
        keys.add(14, "twin");
        keys.add(17, "twin");
        Map<String, Throwable> failures = new ConcurrentHashMap<>();
        List<String> succeeded = Collections.synchronizedList(new ArrayList<>());
        List<Thread> inserters = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            String label = key + "#" + i;
            inserters.add(Thread.ofPlatform().start(() -> {
                try {
                    db.insertOne(KEYS, apiKey(key));
                    succeeded.add(key);
                } catch (Throwable e) {
                    failures.put(label, e);
                }
            }));
        }
        waitUntilQueued(1 + inserters.size());
        GroupCommitWriter.Stats before = db.writerStats();
        release.countDown();
        holder.join(DEADLOCK_LIMIT.toMillis());
        for (Thread inserter : inserters) {
            inserter.join(DEADLOCK_LIMIT.toMillis());
        }

        assertOneBatchAfterTheHolder(before, 1 + 21);
        assertThat(failures).hasSize(2);
        assertThat(failures.values()).allSatisfy(e -> assertThat(e).isInstanceOf(DuplicateKeyException.class));
        assertThat(failures.keySet()).anyMatch(label -> label.startsWith("taken#"))
                .anyMatch(label -> label.startsWith("twin#"));
        assertThat(succeeded).hasSize(21).contains("twin");
        assertThat(db.count(KEYS, all())).isEqualTo(1 + 1 + 21);
        for (int i = 0; i < 20; i++) {
            assertThat(db.count(KEYS, eq("api_key", "neighbour-" + i))).as("neighbour-" + i).isEqualTo(1);
        }
        assertThat(db.count(KEYS, eq("api_key", "twin"))).isEqualTo(1);
        assertThat(db.count(KEYS, eq("api_key", "from-transaction"))).isEqualTo(1);
    }

    @Test
    void a_failing_insert_many_in_a_batch_is_undone_whole_while_its_neighbours_commit() throws Exception {
        db.insertOne(KEYS, apiKey("taken"));
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = holdWriter(release, tx -> { });

        Throwable[] manyFailure = new Throwable[1];
        Thread many = Thread.ofPlatform().start(() -> {
            try {
                db.insertMany(KEYS, List.of(apiKey("many-1"), apiKey("many-2"), apiKey("taken"), apiKey("many-3")));
            } catch (Throwable e) {
                manyFailure[0] = e;
            }
        });
        Thread before = Thread.ofPlatform().start(() -> db.insertOne(KEYS, apiKey("single-a")));
        Thread after = Thread.ofPlatform().start(() -> db.insertOne(KEYS, apiKey("single-b")));
        waitUntilQueued(1 + 3);
        GroupCommitWriter.Stats stats = db.writerStats();
        release.countDown();
        for (Thread t : List.of(holder, many, before, after)) {
            t.join(DEADLOCK_LIMIT.toMillis());
        }

        assertOneBatchAfterTheHolder(stats, 1 + 2);
        assertThat(manyFailure[0]).isInstanceOf(DuplicateKeyException.class);
        assertThat(db.count(KEYS, in("api_key", "many-1", "many-2", "many-3"))).isZero();
        assertThat(db.count(KEYS, in("api_key", "single-a", "single-b"))).isEqualTo(2);
    }

    @Test
    void writers_queued_behind_a_commit_share_the_next_commit() throws Exception {
        assertQueuedWritesShareOneCommit(i -> db.insertOne(KEYS, apiKey("queued-" + i)));
    }

    /** Production's database is the metrics wrapper: its atomic units must stay group-commit jobs, not transactions. */
    @Test
    void atomic_units_through_the_metrics_wrapper_share_the_next_commit() throws Exception {
        DatabaseService timed = Metrics.fromConfig(MonitoringConfig.defaults()).instrument(db);
        assertThat(timed).as("metrics on: the wrapper is in place").isNotSameAs(db);
        assertQueuedWritesShareOneCommit(i -> timed.executeAtomically(tx -> tx.insertOne(KEYS, apiKey("atomic-" + i))));
    }

    /** Twenty callers each write one row ({@code write.accept(i)}) while a transaction holds the writer. */
    private void assertQueuedWritesShareOneCommit(IntConsumer write) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = holdWriter(release, tx -> { });
        int writers = 20;
        List<Thread> callers = IntStream.range(0, writers)
                .mapToObj(i -> Thread.ofPlatform().start(() -> write.accept(i))).toList();
        waitUntilQueued(1 + writers);
        GroupCommitWriter.Stats before = db.writerStats();

        release.countDown();
        holder.join(DEADLOCK_LIMIT.toMillis());
        for (Thread caller : callers) {
            caller.join(DEADLOCK_LIMIT.toMillis());
        }

        assertOneBatchAfterTheHolder(before, 1 + writers);
        assertThat(db.count(KEYS, all())).isEqualTo(writers);
    }

    @Test
    void a_lone_write_is_one_commit_of_one_write() {
        GroupCommitWriter.Stats before = db.writerStats();

        db.insertOne(KEYS, apiKey("alone"));

        GroupCommitWriter.Stats after = db.writerStats();
        assertThat(after.commits() - before.commits()).isEqualTo(1);
        assertThat(after.committedWrites() - before.committedWrites()).isEqualTo(1);
        assertThat(after.queued()).isZero();
    }

    @Test
    void jobs_of_virtual_threads_run_on_the_writers_own_platform_thread_which_counts_its_busy_time() throws Exception {
        // A virtual thread in SQLite's native code would hold its carrier for the whole batch.
        long busyBefore = db.writerStats().busyNanos();
        List<Thread> ranOn = Collections.synchronizedList(new ArrayList<>());
        List<Thread> callers = IntStream.range(0, 8).mapToObj(i -> Thread.ofVirtual().start(() ->
                db.useTransaction(tx -> {
                    ranOn.add(Thread.currentThread());
                    tx.insertOne(KEYS, apiKey("virtual-" + i));
                }))).toList();
        for (Thread caller : callers) {
            caller.join(DEADLOCK_LIMIT.toMillis());
        }
        assertThat(ranOn).hasSize(8).allSatisfy(thread -> {
            assertThat(thread.isVirtual()).isFalse();
            assertThat(thread.getName()).isEqualTo("orbit-sqlite-writer");
        }).doesNotContainAnyElementsOf(callers);
        assertThat(db.count(KEYS, all())).isEqualTo(8);
        assertThat(db.writerStats().busyNanos()).isGreaterThan(busyBefore);
    }

    @Test
    void a_checked_exception_thrown_sneakily_from_a_transaction_reaches_its_caller_and_the_writer_goes_on() {
        assertThatThrownBy(() -> db.executeTransaction(tx -> {
            tx.insertOne(KEYS, apiKey("undone"));
            throw GroupCommitWriterTest.<RuntimeException>sneaky(new java.io.IOException("disk on fire"));
        })).isInstanceOf(DatabaseException.class).hasRootCauseInstanceOf(java.io.IOException.class);

        assertTimeoutPreemptively(DEADLOCK_LIMIT, () -> db.insertOne(KEYS, apiKey("after")));
        assertThat(db.findOne(KEYS, eq("api_key", "undone"))).isEmpty();
        assertThat(db.findOne(KEYS, eq("api_key", "after"))).isPresent();
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable e) throws E {
        throw (E) e;
    }

    @Test
    void an_interrupt_a_transaction_leaves_goes_back_to_its_caller_not_to_the_next_transaction() throws Exception {
        AtomicBoolean callerInterrupted = new AtomicBoolean();
        Thread first = Thread.ofPlatform().start(() -> {
            db.useTransaction(tx -> Thread.currentThread().interrupt());
            callerInterrupted.set(Thread.currentThread().isInterrupted());
        });
        first.join(DEADLOCK_LIMIT.toMillis());
        assertThat(callerInterrupted).isTrue();

        // The next transaction may wait (a read connection, a lock) without being cut short.
        db.useTransaction(tx -> {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                throw new AssertionError("the writer's thread was left interrupted", e);
            }
        });
    }

    @Test
    void closing_the_database_from_inside_its_own_transaction_is_refused_and_shuts_nothing() {
        assertThatThrownBy(() -> db.useTransaction(tx -> db.close())).isInstanceOf(IllegalStateException.class);

        db.insertOne(KEYS, apiKey("still-open"));
        assertThat(db.findOne(KEYS, eq("api_key", "still-open"))).isPresent();
    }

    @Test
    void closing_runs_the_writes_already_queued_then_refuses_new_ones() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = holdWriter(release, tx -> { });
        Thread queued = Thread.ofPlatform().start(() -> db.insertOne(KEYS, apiKey("queued")));
        waitUntilQueued(2);
        Thread closer = Thread.ofPlatform().start(db::close);
        release.countDown();
        for (Thread t : List.of(holder, queued, closer)) {
            t.join(DEADLOCK_LIMIT.toMillis());
        }
        assertThat(closer.isAlive()).isFalse();
        assertThatThrownBy(() -> db.insertOne(KEYS, apiKey("late"))).isInstanceOf(DatabaseException.class);
        db = new SqliteDatabaseService(SqliteOptions.defaults(dir.resolve("orbit.db")), OrbitSchema.SCHEMA);
        db.initialize();
        assertThat(db.findOne(KEYS, eq("api_key", "queued"))).isPresent();
    }

    @Test
    void a_transaction_whose_work_throws_rolls_back_everything_and_rethrows_the_same_exception() {
        String existing = db.insertOne(KEYS, apiKey("existing"));
        IllegalStateException thrown = new IllegalStateException("work failed on purpose");

        assertThatThrownBy(() -> db.executeTransaction(tx -> {
            tx.insertOne(KEYS, apiKey("inside-1"));
            tx.insertMany(KEYS, List.of(apiKey("inside-2"), apiKey("inside-3")));
            tx.updateOne(KEYS, eq("_id", existing), Updates.set("notes", "changed"));
            tx.deleteMany(KEYS, eq("api_key", "existing"));
            assertThat(tx.count(KEYS, all())).as("the transaction sees its own writes").isEqualTo(3);
            throw thrown;
        })).isSameAs(thrown);

        assertThat(db.findMany(KEYS, all())).singleElement()
                .satisfies(doc -> assertThat(doc.asMap()).containsEntry("api_key", "existing").doesNotContainKey("notes"));
    }

    @Test
    void a_transaction_that_caught_a_duplicate_key_can_still_commit_its_other_writes() {
        db.insertOne(KEYS, apiKey("taken"));

        db.useTransaction(tx -> {
            tx.insertOne(KEYS, apiKey("first"));
            assertThatThrownBy(() -> tx.insertOne(KEYS, apiKey("taken"))).isInstanceOf(DuplicateKeyException.class);
            tx.insertOne(KEYS, apiKey("second"));
        });

        assertThat(db.count(KEYS, in("api_key", "taken", "first", "second"))).isEqualTo(3);
    }

    static Stream<Named<Consumer<DatabaseService>>> outerCalls() {
        return Stream.of(
                Named.of("insertOne", s -> s.insertOne(KEYS, apiKey("outer"))),
                Named.of("updateMany", s -> s.updateMany(KEYS, all(), Updates.set("notes", "outer"))),
                Named.of("deleteMany", s -> s.deleteMany(KEYS, all())),
                Named.of("createIndex", s -> s.createIndex(KEYS, IndexSpec.on("idx_outer", "client_name"))),
                Named.of("executeTransaction", s -> s.useTransaction(tx -> tx.insertOne(KEYS, apiKey("nested")))));
    }

    @ParameterizedTest(name = "calling the service''s {0} inside a transaction fails fast instead of deadlocking")
    @MethodSource("outerCalls")
    void calling_the_service_inside_its_own_transaction_fails_fast_instead_of_deadlocking(Consumer<DatabaseService> call) {
        assertTimeoutPreemptively(DEADLOCK_LIMIT, () -> assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.insertOne(KEYS, apiKey("inner"));
            call.accept(db);
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("transaction"));

        assertThat(db.count(KEYS, all())).as("the transaction was rolled back").isZero();
        assertTimeoutPreemptively(DEADLOCK_LIMIT, () -> db.insertOne(KEYS, apiKey("afterwards")));
        assertThat(db.count(KEYS, all())).isEqualTo(1);
    }

    @Test
    void reading_through_the_service_inside_a_transaction_sees_only_committed_data_and_does_not_block() {
        db.insertOne(KEYS, apiKey("committed"));

        long seenFromOutside = assertTimeoutPreemptively(DEADLOCK_LIMIT, () -> db.executeTransaction(tx -> {
            tx.insertOne(KEYS, apiKey("uncommitted"));
            return db.count(KEYS, all());
        }));

        assertThat(seenFromOutside).isEqualTo(1);
        assertThat(db.count(KEYS, all())).isEqualTo(2);
    }

    // ---- helpers ----

    private static Document apiKey(String key) {
        return Document.of("api_key", key, "client_name", "client of " + key, "active", true,
                "created_at", Instant.parse("2026-01-02T03:04:05Z"));
    }

    /** Starts a transaction on another thread that holds the writer until {@code release}; returns once it runs. */
    private Thread holdWriter(CountDownLatch release, Consumer<DocumentStore> work) throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> db.useTransaction(tx -> {
            work.accept(tx);
            holding.countDown();
            awaitQuietly(release);
        }));
        assertThat(holding.await(DEADLOCK_LIMIT.toSeconds(), TimeUnit.SECONDS)).as("transaction started").isTrue();
        return holder;
    }

    /**
     * Waits until this many jobs are in the writer's queue (the running one included), failing after the
     * deadlock limit: a thread merely parked could still be on its way into the queue.
     */
    private void waitUntilQueued(int jobs) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLOCK_LIMIT.toNanos();
        while (db.writerStats().queued() < jobs) {
            assertThat(System.nanoTime()).as(jobs + " jobs queued in time").isLessThan(deadline);
            Thread.sleep(5);
        }
        assertThat(db.writerStats().queued()).isEqualTo(jobs);
    }

    /**
     * Asserts that since {@code before} (taken while the holder's transaction ran and the rest waited) there
     * were exactly two commits, the holder's and one for everything queued behind it, storing these writes.
     */
    private void assertOneBatchAfterTheHolder(GroupCommitWriter.Stats before, int storedWrites) {
        GroupCommitWriter.Stats after = db.writerStats();
        assertThat(after.commits() - before.commits()).as("commits: the holder's, then one for the queued batch")
                .isEqualTo(2);
        assertThat(after.committedWrites() - before.committedWrites()).as("writes stored by those commits")
                .isEqualTo(storedWrites);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released in 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
