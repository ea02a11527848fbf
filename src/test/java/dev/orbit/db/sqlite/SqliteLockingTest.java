package dev.orbit.db.sqlite;

import static dev.orbit.db.Filters.all;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.db.DatabaseTimeoutException;
import dev.orbit.db.Document;
import dev.orbit.db.OrbitSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Another connection (as another process would) holding SQLite's write lock. */
class SqliteLockingTest {
    private static final Duration SHORT_BUSY_TIMEOUT = Duration.ofMillis(300);

    @TempDir
    Path dir;

    @Test
    void a_write_blocked_past_the_busy_timeout_fails_with_a_timeout_exception_and_the_next_write_succeeds()
            throws Exception {
        Path file = dir.resolve("orbit.db");
        try (SqliteDatabaseService db = open(file)) {
            db.insertOne(OrbitSchema.CHAT_HISTORY, message("before"));

            try (Connection other = RawSqlite.open(file); Statement s = other.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                long started = System.nanoTime();
                assertThatThrownBy(() -> db.insertOne(OrbitSchema.CHAT_HISTORY, message("blocked")))
                        .isInstanceOf(DatabaseTimeoutException.class)
                        .hasMessageContaining("busy");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("waited for the busy timeout")
                        .isGreaterThanOrEqualTo(SHORT_BUSY_TIMEOUT.minusMillis(50));
                s.execute("ROLLBACK");
            }

            db.insertOne(OrbitSchema.CHAT_HISTORY, message("after"));
            assertThat(db.findMany(OrbitSchema.CHAT_HISTORY, all())).extracting(d -> d.getString("content"))
                    .containsExactlyInAnyOrder("before", "after");
        }
    }

    @Test
    void a_write_waits_for_another_connections_short_write_instead_of_failing() throws Exception {
        Path file = dir.resolve("orbit.db");
        try (SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(file), OrbitSchema.SCHEMA)) {
            db.initialize();
            try (Connection other = RawSqlite.open(file); Statement s = other.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                Thread releaser = Thread.ofPlatform().start(() -> {
                    try {
                        Thread.sleep(300);
                        s.execute("COMMIT");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                db.insertOne(OrbitSchema.CHAT_HISTORY, message("waited"));
                releaser.join();
            }
            assertThat(db.count(OrbitSchema.CHAT_HISTORY, all())).isEqualTo(1);
        }
    }

    @Test
    void reads_are_not_blocked_while_another_connection_is_writing() throws Exception {
        Path file = dir.resolve("orbit.db");
        try (SqliteDatabaseService db = open(file)) {
            db.insertOne(OrbitSchema.CHAT_HISTORY, message("committed"));

            try (Connection other = RawSqlite.open(file); Statement s = other.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                s.execute("DELETE FROM chat_history");

                // A blocked read would fail with a timeout after the busy timeout; WAL readers never wait.
                assertThat(db.count(OrbitSchema.CHAT_HISTORY, all())).as("the committed state").isEqualTo(1);
                assertThat(db.findMany(OrbitSchema.CHAT_HISTORY, all())).hasSize(1);
                s.execute("ROLLBACK");
            }
        }
    }

    @Test
    void starting_while_another_connection_holds_the_write_lock_too_long_fails_with_a_timeout_naming_the_file()
            throws Exception {
        Path file = dir.resolve("orbit.db");
        open(file).close();

        try (Connection other = RawSqlite.open(file); Statement s = other.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            SqliteDatabaseService db = new SqliteDatabaseService(options(file), OrbitSchema.SCHEMA);
            try {
                assertThatThrownBy(db::initialize)
                        .isInstanceOf(DatabaseTimeoutException.class)
                        .hasMessageContaining(file.toString());
            } finally {
                db.close();
            }
            s.execute("ROLLBACK");
        }
    }

    private static SqliteOptions options(Path file) {
        return new SqliteOptions(file, SqliteOptions.Synchronous.NORMAL, SHORT_BUSY_TIMEOUT, 2);
    }

    private static SqliteDatabaseService open(Path file) {
        SqliteDatabaseService db = new SqliteDatabaseService(options(file), OrbitSchema.SCHEMA);
        db.initialize();
        return db;
    }

    private static Document message(String content) {
        return Document.of("session_id", "s", "role", "user", "content", content, "timestamp", Instant.now());
    }
}
