package dev.orbit.db.sqlite;

import static dev.orbit.db.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.db.Document;
import dev.orbit.db.OrbitSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadPoolTest {
    @TempDir
    Path dir;

    @Test
    void more_concurrent_readers_than_read_connections_all_succeed_while_writes_go_on() throws Exception {
        SqliteOptions options = new SqliteOptions(dir.resolve("orbit.db"), SqliteOptions.Synchronous.NORMAL,
                Duration.ofSeconds(10), 2);
        try (SqliteDatabaseService db = new SqliteDatabaseService(options, OrbitSchema.SCHEMA)) {
            db.initialize();
            for (int i = 0; i < 20; i++) {
                db.insertOne(OrbitSchema.CHAT_HISTORY, message("seed", i));
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int id = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < 50; i++) {
                            if (id % 4 == 0) {
                                db.insertOne(OrbitSchema.CHAT_HISTORY, message("writer-" + id, i));
                            } else {
                                long seeds = db.count(OrbitSchema.CHAT_HISTORY, eq("session_id", "seed"));
                                if (seeds != 20) {
                                    throw new AssertionError("read " + seeds + " seed rows");
                                }
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            start.countDown();
            for (Thread thread : threads) {
                thread.join(30_000);
            }

            assertThat(failures).isEmpty();
            for (int w = 0; w < 16; w += 4) {
                assertThat(db.count(OrbitSchema.CHAT_HISTORY, eq("session_id", "writer-" + w))).isEqualTo(50);
            }
        }
    }

    @Test
    void a_read_right_after_a_write_returned_sees_it_whichever_read_connection_serves_it() throws Exception {
        SqliteOptions options = new SqliteOptions(dir.resolve("orbit.db"), SqliteOptions.Synchronous.NORMAL,
                Duration.ofSeconds(10), 4);
        try (SqliteDatabaseService db = new SqliteDatabaseService(options, OrbitSchema.SCHEMA)) {
            db.initialize();
            List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String session = "session-" + t;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < 50; i++) {
                            String id = db.insertOne(OrbitSchema.CHAT_HISTORY, message(session, i));
                            if (db.findOne(OrbitSchema.CHAT_HISTORY, eq("_id", id)).isEmpty()) {
                                throw new AssertionError(session + " row " + i + " not visible after insertOne returned");
                            }
                            long count = db.count(OrbitSchema.CHAT_HISTORY, eq("session_id", session));
                            if (count != i + 1) {
                                throw new AssertionError(session + " counted " + count + " after " + (i + 1) + " inserts");
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join(30_000);
            }

            assertThat(failures).isEmpty();
        }
    }

    private static Document message(String session, int i) {
        return Document.of("session_id", session, "role", "user", "content", "m" + i, "timestamp", Instant.now());
    }
}
