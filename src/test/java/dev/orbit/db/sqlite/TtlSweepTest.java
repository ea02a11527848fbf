package dev.orbit.db.sqlite;

import static dev.orbit.db.FieldType.INSTANT;
import static dev.orbit.db.FieldType.LONG;
import static dev.orbit.db.FieldType.STRING;
import static dev.orbit.db.Filters.all;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.Document;
import dev.orbit.db.IndexSpec;
import dev.orbit.db.InvalidQueryException;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.Schema;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TtlSweepTest {
    /** A test collection with no TTL index in its declaration: one is created at runtime. */
    private static final CollectionSpec EVENTS = CollectionSpec.builder("ttl_events")
            .required("name", STRING)
            .optional("happened_at", INSTANT)
            .build();
    /** A test collection declaring a TTL index of ten minutes. */
    private static final CollectionSpec CACHE = CollectionSpec.builder("ttl_cache")
            .required("name", STRING)
            .required("stored_at", INSTANT)
            .index(IndexSpec.ttl("idx_ttl_cache_stored_at", "stored_at", Duration.ofMinutes(10)))
            .build();
    /** A test collection whose fields are a number and a string, neither of them an instant. */
    private static final CollectionSpec NUMBERS = CollectionSpec.builder("ttl_numbers")
            .required("name", STRING)
            .optional("expires_at", LONG)
            .optional("label", STRING)
            .build();
    private static final Schema SCHEMA = OrbitSchema.SCHEMA.with(EVENTS, CACHE, NUMBERS);
    private static final IndexSpec EVENTS_TTL = IndexSpec.ttl("idx_ttl_events_happened_at", "happened_at",
            Duration.ofHours(1));

    @TempDir
    Path dir;
    private final List<SqliteDatabaseService> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(SqliteDatabaseService::close);
    }

    @Test
    void expired_sessions_are_removed_by_purge_expired_and_unexpired_ones_stay() {
        SqliteDatabaseService db = open();
        Instant now = Instant.now();
        db.insertMany(OrbitSchema.SESSIONS, List.of(
                session("long-gone", Instant.parse("2000-01-01T00:00:00Z")),
                session("yesterday", now.minus(Duration.ofDays(1))),
                session("just-now", now.minusSeconds(2)),
                session("in-an-hour", now.plus(Duration.ofHours(1))),
                session("far-future", Instant.parse("2099-01-01T00:00:00Z"))));

        long purged = db.purgeExpired();

        assertThat(purged).isEqualTo(3);
        assertThat(db.findMany(OrbitSchema.SESSIONS, all())).extracting(d -> d.getString("username"))
                .containsExactlyInAnyOrder("in-an-hour", "far-future");
        assertThat(db.purgeExpired()).as("a second sweep finds nothing").isZero();
    }

    @Test
    void a_ttl_index_created_at_runtime_is_created_and_swept() throws Exception {
        SqliteDatabaseService db = open();
        Instant now = Instant.now();
        db.insertMany(EVENTS.name(), List.of(
                event("two-hours-ago", now.minus(Duration.ofHours(2))),
                event("half-an-hour-ago", now.minus(Duration.ofMinutes(30))),
                event("tomorrow", now.plus(Duration.ofDays(1))),
                Document.of("name", "no-time")));

        db.createIndex(EVENTS.name(), EVENTS_TTL);
        long purged = db.purgeExpired();

        assertThat(purged).isEqualTo(1);
        assertThat(db.findMany(EVENTS.name(), all())).extracting(d -> d.getString("name"))
                .as("documents without the field never expire, as in MongoDB")
                .containsExactlyInAnyOrder("half-an-hour-ago", "tomorrow", "no-time");
        assertThat(RawSqlite.scalar(dir.resolve("orbit.db"),
                "SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND name = ?", EVENTS_TTL.name()))
                .isEqualTo(EVENTS.name());
    }

    @Test
    void a_ttl_index_created_at_runtime_is_still_swept_after_the_database_is_reopened() {
        SqliteDatabaseService first = open();
        first.createIndex(EVENTS.name(), EVENTS_TTL);
        first.close();

        SqliteDatabaseService db = open();
        db.insertOne(EVENTS.name(), event("two-hours-ago", Instant.now().minus(Duration.ofHours(2))));
        long purged = db.purgeExpired();

        assertThat(purged).isEqualTo(1);
        assertThat(db.count(EVENTS.name(), all())).isZero();
    }

    @Test
    void a_declared_ttl_with_a_duration_expires_documents_that_long_after_their_instant() {
        SqliteDatabaseService db = open();
        Instant now = Instant.now();
        db.insertMany(CACHE.name(), List.of(
                Document.of("name", "eleven-minutes-old", "stored_at", now.minus(Duration.ofMinutes(11))),
                Document.of("name", "nine-minutes-old", "stored_at", now.minus(Duration.ofMinutes(9)))));

        assertThat(db.purgeExpired()).isEqualTo(1);
        assertThat(db.findMany(CACHE.name(), all())).extracting(d -> d.getString("name"))
                .containsExactly("nine-minutes-old");
    }

    @Test
    void a_sweep_removes_expired_rows_beyond_one_batch() {
        SqliteDatabaseService db = open();
        Instant past = Instant.now().minus(Duration.ofDays(1));
        List<Document> expired = new ArrayList<>();
        for (int i = 0; i < 2_345; i++) {
            expired.add(session("expired-" + i, past.minusSeconds(i)));
        }
        db.insertMany(OrbitSchema.SESSIONS, expired);
        db.insertOne(OrbitSchema.SESSIONS, session("alive", Instant.now().plus(Duration.ofHours(1))));

        assertThat(db.purgeExpired()).isEqualTo(2_345);
        assertThat(db.findMany(OrbitSchema.SESSIONS, all())).extracting(d -> d.getString("username"))
                .containsExactly("alive");
    }

    @Test
    void collections_without_a_ttl_index_are_never_swept() {
        SqliteDatabaseService db = open();
        Instant longAgo = Instant.parse("2000-01-01T00:00:00Z");
        db.insertOne(OrbitSchema.CHAT_HISTORY, Document.of("session_id", "s", "role", "user", "content", "old",
                "timestamp", longAgo));
        db.insertOne(EVENTS.name(), event("old-but-no-ttl-index", longAgo));

        assertThat(db.purgeExpired()).isZero();
        assertThat(db.count(OrbitSchema.CHAT_HISTORY, all())).isEqualTo(1);
        assertThat(db.count(EVENTS.name(), all())).isEqualTo(1);
    }

    @Test
    void a_ttl_index_on_a_field_that_is_not_an_instant_is_refused_or_never_deletes_anything() {
        SqliteDatabaseService db = open();
        db.insertMany(NUMBERS.name(), List.of(
                Document.of("name", "epoch-seconds", "expires_at", 1_000L, "label", "0 starts with a digit"),
                Document.of("name", "negative", "expires_at", -5L, "label", "- starts with a dash")));

        boolean refused;
        try {
            db.createIndex(NUMBERS.name(), IndexSpec.ttl("idx_ttl_numbers_expires_at", "expires_at", Duration.ZERO));
            db.createIndex(NUMBERS.name(), IndexSpec.ttl("idx_ttl_numbers_label", "label", Duration.ZERO));
            refused = false;
        } catch (InvalidQueryException e) {
            refused = true;
        }
        long purged = db.purgeExpired();

        assertThat(purged).as("deleted by a TTL on a non-instant field (refused: " + refused + ")").isZero();
        assertThat(db.count(NUMBERS.name(), all())).isEqualTo(2);
    }

    @Test
    void the_schedule_goes_on_sweeping_after_a_sweep_failed_with_an_exception_that_is_not_a_database_exception()
            throws InterruptedException {
        SqliteDatabaseService db = open(); // its own sweeper waits a minute: it cannot be the one that sweeps here
        db.insertOne(OrbitSchema.SESSIONS, session("expired", Instant.now().minus(Duration.ofDays(1))));
        FailingOnceClock clock = new FailingOnceClock();

        try (TtlSweeper sweeper = new TtlSweeper(db, SCHEMA, List.of(), clock, Duration.ofMillis(20))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (db.count(OrbitSchema.SESSIONS, all()) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }

        assertThat(clock.failed).as("the first sweep failed").isTrue();
        assertThat(db.count(OrbitSchema.SESSIONS, all())).as("swept by a later run of the schedule").isZero();
    }

    /** The system clock, except that its first reading throws: a sweep failing with something unexpected. */
    private static final class FailingOnceClock extends java.time.Clock {
        private final java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean(true);
        private volatile boolean failed;

        @Override
        public Instant instant() {
            if (armed.getAndSet(false)) {
                failed = true;
                throw new java.time.DateTimeException("the clock failed once");
            }
            return Instant.now();
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    private SqliteDatabaseService open() {
        SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(dir.resolve("orbit.db")), SCHEMA);
        opened.add(db);
        db.initialize();
        return db;
    }

    private static Document session(String username, Instant expires) {
        return Document.of("token", "token-" + username, "user_id", "u-" + username, "username", username,
                "expires", expires, "created_at", expires.minus(Duration.ofHours(12)));
    }

    private static Document event(String name, Instant at) {
        return Document.of("name", name, "happened_at", at);
    }
}
