package dev.orbit.db.mongo;

import static dev.orbit.db.Filters.all;
import static dev.orbit.db.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.Document;
import dev.orbit.db.DuplicateKeyException;
import dev.orbit.db.FieldType;
import dev.orbit.db.IndexSpec;
import dev.orbit.db.Schema;
import dev.orbit.db.UpdateOptions;
import dev.orbit.db.UpdateResult;
import dev.orbit.db.Updates;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bson.BsonDocument;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operations that take more than one server call: upserts under contention, insertMany's undo. */
class MongoDocumentStoreTest {
    @RegisterExtension
    static final MongoTestServer MONGO = new MongoTestServer();

    private static final CollectionSpec COUNTERS = CollectionSpec.builder("counters")
            .required("key", FieldType.STRING)
            .optional("n", FieldType.LONG)
            .optional("ratio", FieldType.DOUBLE)
            .index(IndexSpec.unique("idx_counters_key", "key"))
            .build();

    private MongoOptions options;
    private MongoDatabaseService db;

    @BeforeEach
    void open() {
        options = MONGO.newDatabase();
        db = new MongoDatabaseService(options, Schema.of(COUNTERS));
        db.initialize();
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void concurrentUpsertsOfOneKeyInsertOnceAndLoseNoIncrement() throws Exception {
        int threads = 8;
        for (int round = 0; round < 20; round++) {
            String key = "k" + round;
            CountDownLatch start = new CountDownLatch(1);
            List<Future<UpdateResult>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                for (int t = 0; t < threads; t++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return db.updateOne("counters", eq("key", key), Updates.inc("n", 1L), UpdateOptions.UPSERT);
                    }));
                }
                start.countDown();
                long inserted = 0;
                for (Future<UpdateResult> result : results) {
                    inserted += result.get().wasUpserted() ? 1 : 0;
                }
                assertThat(inserted).as("round %d", round).isEqualTo(1);
            }
            assertThat(db.count("counters", eq("key", key))).isEqualTo(1);
            assertThat(db.findOne("counters", eq("key", key)).orElseThrow().getLong("n")).isEqualTo(threads);
        }
    }

    @Test
    void aFailedInsertManyRemovesOnlyWhatItInserted() {
        db.insertMany("counters", List.of(Document.of("_id", "old-1", "key", "a", "n", 1L),
                Document.of("_id", "old-2", "key", "b", "n", 2L)));
        List<Document> batch = List.of(Document.of("key", "fresh-1"), Document.of("_id", "new-2", "key", "fresh-2"),
                Document.of("_id", "old-1", "key", "fresh-3"), Document.of("_id", "old-2", "key", "fresh-4"));

        assertThatThrownBy(() -> db.insertMany("counters", batch)).isInstanceOf(DuplicateKeyException.class);

        assertThat(db.findMany("counters", all())).containsExactlyInAnyOrder(
                Document.of("_id", "old-1", "key", "a", "n", 1L), Document.of("_id", "old-2", "key", "b", "n", 2L));
    }

    @Test
    void numbersFromOtherWritersTakeTheDeclaredType() {
        MONGO.rawDatabase(options.database()).getCollection("counters", BsonDocument.class).insertOne(
                new BsonDocument("_id", new org.bson.BsonString("raw")).append("key", new org.bson.BsonString("raw"))
                        .append("n", new org.bson.BsonDouble(7.0)).append("ratio", new org.bson.BsonDecimal128(
                                Decimal128.parse("0.25"))));
        Document raw = db.findOne("counters", eq("_id", "raw")).orElseThrow();
        assertThat(raw.get("n")).isEqualTo(7L);
        assertThat(raw.get("ratio")).isEqualTo(0.25);
    }
}
