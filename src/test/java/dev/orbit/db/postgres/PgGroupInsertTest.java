package dev.orbit.db.postgres;

import static dev.orbit.db.Filters.all;
import static dev.orbit.db.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.Document;
import dev.orbit.db.DuplicateKeyException;
import dev.orbit.db.FieldType;
import dev.orbit.db.IndexSpec;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.Schema;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group insert on a real PostgreSQL, observed through the service: inserts queued behind busy groups go in as
 * one statement, and each still gets its own outcome, duplicate keys included.
 */
class PgGroupInsertTest {
    private static final String KEYS = OrbitSchema.API_KEYS;
    private static final String TYPED = "group_typed";
    private static final Duration LIMIT = Duration.ofSeconds(20);
    /** Every field type, to compare what a group statement stores with what a lone insert stores. */
    private static final CollectionSpec TYPED_SPEC = CollectionSpec.builder(TYPED)
            .required("label", FieldType.STRING)
            .optional("text", FieldType.STRING)
            .optional("whole", FieldType.LONG)
            .optional("real", FieldType.DOUBLE)
            .optional("flag", FieldType.BOOLEAN)
            .optional("at", FieldType.INSTANT)
            .optional("map", FieldType.MAP, "map_json")
            .optional("list", FieldType.LIST)
            .index(IndexSpec.on("idx_group_typed_label", "label"))
            .build();
    private static final Schema SCHEMA = OrbitSchema.SCHEMA.with(TYPED_SPEC);

    private final PostgresOptions options = PostgresTestServer.newDatabase();
    private final PostgresDatabaseService db = new PostgresDatabaseService(options, SCHEMA);
    private final List<Thread> started = new ArrayList<>();

    PgGroupInsertTest() {
        db.initialize();
    }

    @AfterEach
    void close() throws InterruptedException {
        for (Thread thread : started) {
            thread.join(LIMIT.toMillis());
            assertThat(thread.isAlive()).as("a test thread finished").isFalse();
        }
        db.close();
        PostgresTestServer.drop(options);
    }

    @Test
    void insertsQueuedBehindBusyGroupsGoInAsOneStatementPerTableAndFailOnlyTheDuplicates() throws Exception {
        db.insertOne(KEYS, apiKey("taken"));
        Map<String, Throwable> failures = new ConcurrentHashMap<>();
        List<String> stored = Collections.synchronizedList(new ArrayList<>());
        Runnable release = holdTheGroup(failures);

        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 19; i++) {
            keys.add("neighbour-" + i);
        }
        keys.add(5, "taken");
        keys.add(9, "twin");
        keys.add(15, "twin");
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            String label = key + "#" + i;
            start(() -> {
                try {
                    db.insertOne(KEYS, apiKey(key));
                    stored.add(key);
                } catch (Throwable e) {
                    failures.put(label, e);
                }
            });
        }
        for (String name : List.of("p1", "p2")) {
            start(() -> stored.add(db.insertOne(OrbitSchema.SYSTEM_PROMPTS, Document.of("name", name, "prompt", "x",
                    "version", "1", "created_at", Instant.EPOCH, "updated_at", Instant.EPOCH))));
        }
        waitFor(() -> db.groupInsertStats().queued() == keys.size() + 2, "every insert queued");
        PgGroupInsert.Stats before = db.groupInsertStats();
        release.run();
        joinAll();

        PgGroupInsert.Stats after = db.groupInsertStats();
        assertThat(after.groups() - before.groups()).as("group statements: one per table").isEqualTo(2);
        assertThat(after.groupedRows() - before.groupedRows()).as("rows they stored").isEqualTo(19 + 1 + 2);
        assertThat(failures.keySet()).as("the held insert, the taken key and one twin")
                .hasSize(3).contains("blocker", "taken#5");
        assertThat(failures.values()).allSatisfy(e -> assertThat(e).isInstanceOf(DuplicateKeyException.class));
        assertThat(stored).hasSize(19 + 1 + 2);
        assertThat(db.count(KEYS, eq("api_key", "twin"))).isEqualTo(1);
        assertThat(db.count(KEYS, all())).isEqualTo(1 + 1 + 19 + 1);
        assertThat(db.count(OrbitSchema.SYSTEM_PROMPTS, all())).isEqualTo(2);
    }

    @Test
    void aGroupStoresEveryTypeExactlyAsALoneInsertDoes() throws Exception {
        List<Document> samples = samples();
        for (Document sample : samples) {
            db.insertOne(TYPED, sample.copy().put("label", "alone-" + sample.getString("label")));
        }
        Runnable release = holdTheGroup(new ConcurrentHashMap<>());
        for (Document sample : samples) {
            start(() -> db.insertOne(TYPED, sample.copy().put("label", "grouped-" + sample.getString("label"))));
        }
        waitFor(() -> db.groupInsertStats().queued() == samples.size(), "every insert queued");
        long groupsBefore = db.groupInsertStats().groups();
        release.run();
        joinAll();

        assertThat(db.groupInsertStats().groups() - groupsBefore).isEqualTo(1);
        for (Document sample : samples) {
            String label = sample.getString("label");
            Document alone = db.findOne(TYPED, eq("label", "alone-" + label)).orElseThrow();
            Document grouped = db.findOne(TYPED, eq("label", "grouped-" + label)).orElseThrow();
            assertThat(withoutIdAndLabel(grouped)).as(label).isEqualTo(withoutIdAndLabel(alone));
            assertThat(grouped.names()).as(label).isEqualTo(alone.names());
        }
    }

    private static List<Document> samples() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("when", Instant.parse("2026-03-01T10:00:00.123Z"));
        nested.put("list", List.of(1L, 2.5, "x\u0000y\u0001z", true));
        nested.put("quote\"and\\backslash", Map.of("deep", "ünïcødé 😀"));
        return List.of(
                Document.of("label", "full", "text", "a\u0000b\u0001c\"{},'\\ 😀", "whole", Long.MIN_VALUE,
                        "real", 0.1, "flag", true, "at", Instant.parse("0001-01-01T00:00:00Z"), "map", nested,
                        "list", List.of("a", 1L, Map.of("k", "v"))),
                Document.of("label", "extremes", "text", "", "whole", Long.MAX_VALUE, "real", -1.7976931348623157E308,
                        "flag", false, "at", Instant.parse("9999-12-31T23:59:59.999Z"), "map", Map.of(),
                        "list", List.of()),
                Document.of("label", "small", "real", 4.9E-324, "text", "NULL"),
                Document.of("label", "negative-zero", "real", -0.0, "text", "{\"a\", NULL}"),
                Document.of("label", "only-label"));
    }

    private static Map<String, Object> withoutIdAndLabel(Document doc) {
        Map<String, Object> out = new LinkedHashMap<>(doc.asMap());
        out.remove("_id");
        out.remove("label");
        out.values().removeIf(v -> v == null);
        return out;
    }

    /**
     * Holds the running group with an insert that waits in the database for another transaction (which inserted
     * the same key and holds it uncommitted), so later inserts queue; returns what lets them go. The held insert
     * then fails as a duplicate, recorded as {@code blocker}.
     */
    private Runnable holdTheGroup(Map<String, Throwable> failures) throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        start(() -> db.executeTransaction(tx -> {
            tx.insertOne(KEYS, apiKey("blocker"));
            holding.countDown();
            await(release);
            return null;
        }));
        assertThat(holding.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).as("transaction running").isTrue();
        start(() -> {
            try {
                db.insertOne(KEYS, apiKey("blocker"));
            } catch (Throwable e) {
                failures.put("blocker", e);
            }
        });
        waitFor(() -> db.groupInsertStats().running(), "the held insert running");
        return release::countDown;
    }

    private void start(Runnable work) {
        started.add(Thread.ofPlatform().start(work));
    }

    private void joinAll() throws InterruptedException {
        for (Thread thread : started) {
            thread.join(LIMIT.toMillis());
        }
    }

    private static void waitFor(Supplier<Boolean> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.get()) {
            assertThat(System.nanoTime()).as(what + " in time").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Document apiKey(String key) {
        return Document.of("api_key", key, "client_name", "client of " + key, "active", true,
                "created_at", Instant.parse("2026-01-02T03:04:05Z"));
    }
}
