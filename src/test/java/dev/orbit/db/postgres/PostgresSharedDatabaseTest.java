package dev.orbit.db.postgres;

import static dev.orbit.db.Filters.and;
import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.Updates.set;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.db.Document;
import dev.orbit.db.OrbitSchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two services with pools of their own on one database, as two gateway processes have: a conditional update
 * is won by exactly one of them, and what one writes the other reads at once.
 */
class PostgresSharedDatabaseTest {
    private final PostgresOptions options = PostgresTestServer.newDatabase();
    private final PostgresDatabaseService first = open();
    private final PostgresDatabaseService second = open();

    private PostgresDatabaseService open() {
        PostgresDatabaseService db = new PostgresDatabaseService(options, OrbitSchema.SCHEMA);
        db.initialize();
        return db;
    }

    @AfterEach
    void close() {
        first.close();
        second.close();
        PostgresTestServer.drop(options);
    }

    @Test
    void aConditionalUpdateRacedByTwoGatewaysIsWonByExactlyOne() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 25; round++) {
                String id = first.insertOne(OrbitSchema.API_KEYS, Document.of("api_key", "k" + round,
                        "client_name", "c", "active", true, "created_at", Instant.EPOCH));
                List<Callable<Long>> racers = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    PostgresDatabaseService db = i % 2 == 0 ? first : second;
                    racers.add(() -> db.updateOne(OrbitSchema.API_KEYS, and(eq("_id", id), eq("active", true)),
                            set("active", false)).matchedCount());
                }
                long won = 0;
                for (Future<Long> result : pool.invokeAll(racers)) {
                    won += result.get();
                }
                assertThat(won).as("round " + round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aWriteThroughOneGatewayIsReadByTheOtherAtOnce() {
        String id = first.insertOne(OrbitSchema.SYSTEM_PROMPTS, Document.of("name", "p", "prompt", "x",
                "version", "1", "created_at", Instant.EPOCH, "updated_at", Instant.EPOCH));
        assertThat(second.findOne(OrbitSchema.SYSTEM_PROMPTS, eq("_id", id))).isPresent();
        second.updateOne(OrbitSchema.SYSTEM_PROMPTS, eq("_id", id), set("prompt", "y"));
        assertThat(first.findOne(OrbitSchema.SYSTEM_PROMPTS, eq("_id", id)).orElseThrow().getString("prompt"))
                .isEqualTo("y");
    }
}
