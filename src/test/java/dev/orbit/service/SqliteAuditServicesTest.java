package dev.orbit.service;

import static dev.orbit.db.Filters.all;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.OrbitSchema;
import dev.orbit.http.LogCapture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link AuditServicesTest} on SQLite. */
class SqliteAuditServicesTest extends AuditServicesTest {
    @Override
    protected DatabaseService openDatabase(Path dir) {
        return TestDatabases.sqlite(dir);
    }

    /**
     * While the database cannot take the writer's batch (another process holds the write lock), chats keep
     * queuing without waiting; past the queue's capacity records are dropped and counted, and once the lock is
     * gone the queued ones are written.
     */
    @Test
    void aStuckDatabaseNeverSlowsTheCallerAndAFullQueueIsCounted() throws Exception {
        db(); // creates the file
        AuditServices services = closeLater(new AuditServices(db(), new AuditSettings(true, true, false, false, 90,
                400, Duration.ofMillis(10), 5, 100, false, false, Duration.ofHours(1)), PRICES, clock));
        AuditWriter writer = services.writer().orElseThrow();
        try (LogCapture log = new LogCapture(AuditWriter.class.getName());
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + tempDir.resolve("orbit.db"));
             Statement lock = other.createStatement()) {
            lock.execute("BEGIN IMMEDIATE"); // the other process's write transaction
            services.recordChat(chat("gpt-x", "k1", 1, 1, ChatEvent.ChatOutcome.SUCCESS));
            Thread.sleep(200); // the writer has taken it and waits for the lock
            long start = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                services.recordChat(chat("gpt-x", "k1", 1, 1, ChatEvent.ChatOutcome.SUCCESS));
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).as("100 offers to a full queue").isLessThan(1000);
            assertThat(writer.dropped()).isBetween(94L, 96L); // 5 queued, maybe 1 more taken by the writer
            // Logged, and once: a warning per dropped record would flood the log when it matters most.
            assertThat(log.lines()).singleElement().asString()
                    .startsWith("conversation audit queue full or stopped: 1 records dropped so far");
            lock.execute("ROLLBACK");
        }
        writer.flush();
        long written = db().count(OrbitSchema.AUDIT_LOGS, all());
        assertThat(written + writer.dropped() + writer.failed()).isEqualTo(101);
        assertThat(written).isGreaterThanOrEqualTo(5);
    }
}
