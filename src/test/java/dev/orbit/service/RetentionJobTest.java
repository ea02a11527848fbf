package dev.orbit.service;

import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.OrbitSchema.CHAT_HISTORY;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.sqlite.SqliteDatabaseService;
import dev.orbit.db.sqlite.SqliteOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** {@link RetentionJob} on a real SQLite file: it runs on its own, and a failed pass does not end it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RetentionJobTest {
    private static final ApiKeyFingerprint KEY = ApiKeyFingerprint.of("orbit_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    private static final Duration INTERVAL = Duration.ofMillis(50);

    @TempDir
    Path dir;

    @Test
    void aStartedJobDeletesExpiredMessagesWithoutBeingAsked() throws Exception {
        try (DatabaseService db = sqlite(Duration.ofSeconds(10))) {
            ChatHistoryService history = historyWithOldAndNewSessions(db);

            try (RetentionJob job = RetentionJob.start(history, INTERVAL)) {
                await(() -> rows(db, "s-old") == 0);
            }

            assertThat(rows(db, "s-old")).isZero();
            assertThat(rows(db, "s-new")).isEqualTo(2);
        }
    }

    @Test
    void theJobKeepsRunningAfterAPassFailedBecauseTheDatabaseWasLocked() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(RetentionJob.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        // A short busy timeout: a pass that meets another process's write lock fails fast.
        try (DatabaseService db = sqlite(Duration.ofMillis(20))) {
            ChatHistoryService history = historyWithOldAndNewSessions(db);
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("orbit.db"));
                 Statement lock = other.createStatement()) {
                lock.execute("BEGIN IMMEDIATE"); // another process holds the write lock

                try (RetentionJob job = RetentionJob.start(history, INTERVAL)) {
                    await(() -> failures(log) > 0);
                    assertThat(rows(db, "s-old")).as("nothing deleted while locked").isEqualTo(2);
                    lock.execute("ROLLBACK");

                    await(() -> rows(db, "s-old") == 0);
                }
            }
            assertThat(rows(db, "s-new")).isEqualTo(2);
        } finally {
            logger.detachAppender(log);
        }
    }

    private DatabaseService sqlite(Duration busyTimeout) {
        SqliteDatabaseService db = new SqliteDatabaseService(new SqliteOptions(dir.resolve("orbit.db"),
                SqliteOptions.Synchronous.NORMAL, busyTimeout, 2), OrbitSchema.SCHEMA);
        db.initialize();
        return db;
    }

    /** A 30-day retention; session s-old was written 100 days ago and s-new now. */
    private static ChatHistoryService historyWithOldAndNewSessions(DatabaseService db) {
        MutableClock clock = new MutableClock(Instant.now().minus(Duration.ofDays(100)));
        ChatHistorySettings settings = new ChatHistorySettings(true, 30, 50, 0, 100, INTERVAL);
        ChatHistoryService history = new ChatHistoryService(db, settings, clock);
        history.addTurn("s-old", KEY, "user-1", NewMessage.user("old"), NewMessage.assistant("re: old"), null);
        clock.set(Instant.now());
        history.addTurn("s-new", KEY, "user-1", NewMessage.user("new"), NewMessage.assistant("re: new"), null);
        return history;
    }

    private static long rows(DatabaseService db, String session) {
        return db.count(CHAT_HISTORY, eq("session_id", session));
    }

    private static long failures(ListAppender<ILoggingEvent> log) {
        synchronized (log) {
            return log.list.stream().filter(e -> e.getFormattedMessage().startsWith("chat history retention failed"))
                    .count();
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in 20 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
