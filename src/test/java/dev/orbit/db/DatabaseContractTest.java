package dev.orbit.db;

import static dev.orbit.db.ContractFixtures.ALL_NAMES;
import static dev.orbit.db.ContractFixtures.ITEMS;
import static dev.orbit.db.ContractFixtures.SCHEMA;
import static dev.orbit.db.ContractFixtures.T0;
import static dev.orbit.db.ContractFixtures.T1;
import static dev.orbit.db.ContractFixtures.T2;
import static dev.orbit.db.ContractFixtures.catalog;
import static dev.orbit.db.Filters.all;
import static dev.orbit.db.Filters.and;
import static dev.orbit.db.Filters.containsIgnoreCase;
import static dev.orbit.db.Filters.differs;
import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.Filters.exists;
import static dev.orbit.db.Filters.gt;
import static dev.orbit.db.Filters.gte;
import static dev.orbit.db.Filters.in;
import static dev.orbit.db.Filters.lt;
import static dev.orbit.db.Filters.lte;
import static dev.orbit.db.Filters.ne;
import static dev.orbit.db.Filters.nin;
import static dev.orbit.db.Filters.not;
import static dev.orbit.db.Filters.or;
import static dev.orbit.db.Updates.combine;
import static dev.orbit.db.Updates.inc;
import static dev.orbit.db.Updates.push;
import static dev.orbit.db.Updates.set;
import static dev.orbit.db.Updates.setOnInsert;
import static dev.orbit.db.Updates.unset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link DatabaseService} backend must show, MongoDB's semantics included. A backend's
 * test extends this class and only says how to open a fresh, empty database; the suite initializes it
 * before each test and closes it after.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class DatabaseContractTest {
    /** The database under test: fresh, empty and initialized for every test. */
    protected DatabaseService db;

    /** A fresh, empty, not yet initialized database with this schema; the suite initializes and closes it. */
    protected abstract DatabaseService openDatabase(Schema schema);

    /** Whether {@link DatabaseService#executeTransaction} runs multi-document transactions on this backend. */
    protected boolean supportsTransactions() {
        return true;
    }

    @BeforeEach
    void openAndInitialize() {
        db = openDatabase(SCHEMA);
        db.initialize();
    }

    @AfterEach
    void closeDatabase() {
        if (db != null) {
            db.close();
        }
    }

    // ---------------------------------------------------------------- helpers

    private String insert(Document document) {
        return db.insertOne(ITEMS, document);
    }

    private static Document item(String name, Object... more) {
        Document doc = Document.of(more);
        doc.put("name", name);
        return doc;
    }

    private void seedCatalog() {
        db.insertMany(ITEMS, catalog());
    }

    private Document byId(String id) {
        return db.findOne(ITEMS, eq("_id", id)).orElseThrow(() -> new AssertionError("no document with id " + id));
    }

    private Document byName(String name) {
        return db.findOne(ITEMS, eq("name", name)).orElseThrow(() -> new AssertionError("no document named " + name));
    }

    private static List<String> namesOf(List<Document> documents) {
        return documents.stream().map(d -> d.getString("name")).toList();
    }

    /** Names of the matching documents, in whatever order the backend returns them. */
    private List<String> names(Filter filter) {
        return namesOf(db.findMany(ITEMS, filter));
    }

    private List<String> names(Filter filter, FindOptions options) {
        return namesOf(db.findMany(ITEMS, filter, options));
    }

    private List<Document> snapshot() {
        return db.findMany(ITEMS, all(), FindOptions.sortedBy(Sort.ascending("_id")));
    }

    private static List<String> allBut(String... excluded) {
        List<String> names = new ArrayList<>(ALL_NAMES);
        names.removeAll(List.of(excluded));
        return names;
    }

    private static void assertInvalid(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(InvalidQueryException.class);
    }

    private static void assertDuplicate(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(DuplicateKeyException.class,
                e -> assertThat(e.collection()).isEqualTo(ITEMS));
    }

    private static Document user(String username) {
        return Document.of("username", username, "password", "hash", "role", "user", "active", true,
                "created_at", T0);
    }

    /** Runs the callables concurrently, all released at once, and returns their results in order. */
    private static <T> List<T> runConcurrently(List<Callable<T>> tasks) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(tasks.size())) {
            List<Future<T>> futures = new ArrayList<>();
            for (var task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(90, TimeUnit.SECONDS));
            }
            return results;
        }
    }

    /** A test-name-safe rendering of a hostile string: control characters escaped, long strings cut. */
    private static Named<String> named(String value) {
        StringBuilder out = new StringBuilder("\"");
        value.codePoints().limit(40).forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        out.append('"');
        if (value.length() > 40) {
            out.append(" (").append(value.length()).append(" chars)");
        }
        return Named.of(out.toString(), value);
    }

    // ---------------------------------------------------------------- lifecycle

    @Nested
    class Lifecycle {
        @Test
        void everyTestStartsFromAnEmptyDatabase() {
            assertThat(db.count(ITEMS, all())).isZero();
            assertThat(db.count(OrbitSchema.USERS, all())).isZero();
            assertThat(db.count(OrbitSchema.CHAT_HISTORY, all())).isZero();
        }

        @Test
        void initializeAgainKeepsTheData() {
            String id = insert(item("kept", "qty", 1L));
            db.initialize();
            db.initialize();
            assertThat(byId(id).getLong("qty")).isEqualTo(1L);
            assertThat(db.count(ITEMS, all())).isEqualTo(1);
        }

        @Test
        void initializeAgainKeepsUniqueIndexesWorking() {
            db.initialize();
            insert(item("one", "sku", "S"));
            assertDuplicate(() -> insert(item("two", "sku", "S")));
        }

        @Test
        void schemaIsTheOneGivenAndDescribeSaysWhatRuns() {
            assertThat(db.schema().contains(ITEMS)).isTrue();
            assertThat(db.schema().contains(OrbitSchema.USERS)).isTrue();
            assertThat(db.describe()).isNotBlank();
        }
    }

    // ---------------------------------------------------------------- finding

    @Nested
    class Finding {
        @Test
        void findOneReturnsTheMatchingDocument() {
            seedCatalog();
            Document beta = db.findOne(ITEMS, eq("name", "beta")).orElseThrow();
            assertThat(beta).isEqualTo(catalog().get(1));
        }

        @Test
        void findOneOnNoMatchIsEmpty() {
            seedCatalog();
            assertThat(db.findOne(ITEMS, eq("name", "nobody"))).isEmpty();
        }

        @Test
        void findOneOnAnEmptyCollectionIsEmpty() {
            assertThat(db.findOne(ITEMS, all())).isEmpty();
        }

        @Test
        void findOneWithSeveralMatchesReturnsOneOfThem() {
            seedCatalog();
            Document found = db.findOne(ITEMS, eq("category", "tools")).orElseThrow();
            assertThat(found.getString("name")).isIn("alpha", "beta");
        }

        @Test
        void findOneWithSortReturnsTheFirstInThatOrder() {
            seedCatalog();
            assertThat(db.findOne(ITEMS, all(), Sort.descending("qty")).orElseThrow().getString("name"))
                    .isEqualTo("beta");
            assertThat(db.findOne(ITEMS, exists("qty"), Sort.ascending("qty")).orElseThrow().getString("name"))
                    .isEqualTo("epsilon");
            assertThat(db.findOne(ITEMS, eq("category", "toys"), Sort.ascending("name")).orElseThrow()
                    .getString("name")).isEqualTo("epsilon");
        }

        @Test
        void findManyReturnsExactlyTheMatches() {
            seedCatalog();
            assertThat(names(eq("category", "toys"))).containsExactlyInAnyOrder("gamma", "epsilon");
        }

        @Test
        void findManyWithFilterSortSkipAndLimit() {
            seedCatalog();
            FindOptions options = FindOptions.sortedBy(Sort.ascending("qty")).skip(1).limit(2);
            assertThat(names(exists("qty"), options)).containsExactly("gamma", "alpha");
        }

        @Test
        void findManyHasNoSilentDefaultCap() {
            List<Document> docs = IntStream.range(0, 1_500)
                    .mapToObj(i -> item("bulk-" + i, "qty", (long) i)).toList();
            db.insertMany(ITEMS, docs);
            assertThat(db.findMany(ITEMS, all())).hasSize(1_500);
            assertThat(db.findMany(ITEMS, all(), FindOptions.ALL)).hasSize(1_500);
            assertThat(db.findMany(ITEMS, gte("qty", 0L), FindOptions.sortedBy(Sort.ascending("qty"))))
                    .hasSize(1_500);
            assertThat(db.findMany(ITEMS, all(), FindOptions.ALL.skip(1_000))).hasSize(500);
            assertThat(db.count(ITEMS, all())).isEqualTo(1_500);
        }

        @Test
        void findManyWithNoMatchIsAnEmptyList() {
            seedCatalog();
            assertThat(db.findMany(ITEMS, eq("name", "nobody"))).isEmpty();
        }

        @Test
        void documentsReadBackHoldOnlyTheirOwnFields() {
            seedCatalog();
            assertThat(byName("delta").names()).containsExactlyInAnyOrder("_id", "name");
            assertThat(byName("alpha").names()).containsExactlyInAnyOrder("_id", "name", "sku", "category", "note",
                    "qty", "price", "active", "created_at", "tags");
        }

        @Test
        void countCountsMatches() {
            assertThat(db.count(ITEMS, all())).isZero();
            seedCatalog();
            assertThat(db.count(ITEMS, all())).isEqualTo(5);
            assertThat(db.count(ITEMS, eq("category", "tools"))).isEqualTo(2);
            assertThat(db.count(ITEMS, eq("name", "nobody"))).isZero();
        }

        @Test
        void collectionHandleRunsEveryOperationOnItsCollection() {
            DocumentCollection items = db.getCollection(ITEMS);
            assertThat(items.name()).isEqualTo(ITEMS);
            String id = items.insertOne(item("one", "qty", 1L));
            List<String> ids = items.insertMany(List.of(item("two", "qty", 2L), item("three", "qty", 3L)));
            assertThat(ids).hasSize(2);
            assertThat(items.count(all())).isEqualTo(3);
            assertThat(items.findOne(eq("_id", id)).orElseThrow().getString("name")).isEqualTo("one");
            assertThat(items.findOne(all(), Sort.descending("qty")).orElseThrow().getString("name"))
                    .isEqualTo("three");
            assertThat(namesOf(items.findMany(gt("qty", 1L), FindOptions.sortedBy(Sort.ascending("qty")))))
                    .containsExactly("two", "three");
            assertThat(items.updateOne(eq("name", "one"), set("note", "n")).matchedCount()).isEqualTo(1);
            assertThat(items.updateMany(gte("qty", 2L), inc("qty", 10L)).matchedCount()).isEqualTo(2);
            UpdateResult upsert = items.updateOne(eq("name", "four"), set("qty", 4L), UpdateOptions.UPSERT);
            assertThat(upsert.upsertedId()).isNotNull();
            assertThat(items.deleteOne(eq("name", "one"))).isTrue();
            assertThat(items.deleteMany(gt("qty", 10L))).isEqualTo(2);
            assertThat(namesOf(items.findMany(all(), FindOptions.ALL))).containsExactly("four");
        }

        @Test
        void collectionHandleOnAnUnknownCollectionFailsAtFirstUse() {
            DocumentCollection unknown = db.getCollection("no_such_collection");
            assertInvalid(() -> unknown.count(all()));
            assertInvalid(() -> unknown.insertOne(item("x")));
        }
    }

    // ---------------------------------------------------------------- inserting

    @Nested
    class Inserting {
        @Test
        void insertOneGeneratesAnIdWhenTheDocumentHasNone() {
            String id = insert(item("generated"));
            assertThat(id).isNotBlank();
            assertThat(IdUtils.ensureId(id)).contains(id);
            Document stored = byId(id);
            assertThat(stored.id()).isEqualTo(id);
            assertThat(stored.getString("name")).isEqualTo("generated");
        }

        @Test
        void generatedIdsAreDistinct() {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 50; i++) {
                ids.add(insert(item("n" + i)));
            }
            assertThat(ids).hasSize(50);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"my-own-id", "65f1a2b3c4d5e6f708192a3b", "0f8fad5b-d9cb-469f-a165-70867728950e"})
        void insertOneKeepsAGivenId(String givenId) {
            assertThat(insert(item("given", "_id", givenId))).isEqualTo(givenId);
            assertThat(byId(givenId).id()).isEqualTo(givenId);
            assertThat(db.findMany(ITEMS, in("_id", givenId))).hasSize(1);
        }

        @Test
        void insertOneWithATakenIdIsADuplicateAndChangesNothing() {
            insert(item("first", "_id", "same", "qty", 1L));
            assertDuplicate(() -> insert(item("second", "_id", "same", "qty", 2L)));
            assertThat(db.count(ITEMS, all())).isEqualTo(1);
            assertThat(byId("same").getString("name")).isEqualTo("first");
        }

        @Test
        void insertOneStoresCanonicalValues() {
            String id = insert(Document.of("name", "widened", "qty", 7, "price", 3L, "attrs",
                    Map.of("i", 1, "s", (short) 2, "b", (byte) 3, "f", 0.5f)));
            Document stored = byId(id);
            assertThat(stored.get("qty")).isEqualTo(7L);
            assertThat(stored.get("price")).isEqualTo(3.0);
            assertThat(stored.getMap("attrs")).isEqualTo(Map.of("i", 1L, "s", 2L, "b", 3L, "f", 0.5));
        }

        @Test
        void insertOneWithoutARequiredFieldIsRefusedAndStoresNothing() {
            assertInvalid(() -> insert(Document.of("qty", 1L)));
            assertThat(db.count(ITEMS, all())).isZero();
        }

        @Test
        void insertManyReturnsTheIdsInOrder() {
            List<String> ids = db.insertMany(ITEMS, List.of(item("m1", "_id", "given-1"), item("m2"),
                    item("m3", "_id", "given-3"), item("m4")));
            assertThat(ids).hasSize(4);
            assertThat(ids.get(0)).isEqualTo("given-1");
            assertThat(ids.get(2)).isEqualTo("given-3");
            assertThat(ids).doesNotHaveDuplicates();
            for (int i = 0; i < ids.size(); i++) {
                assertThat(byId(ids.get(i)).getString("name")).isEqualTo("m" + (i + 1));
            }
        }

        @Test
        void insertManyOfNothingInsertsNothing() {
            assertThat(db.insertMany(ITEMS, List.of())).isEmpty();
            assertThat(db.count(ITEMS, all())).isZero();
        }

        @Test
        void insertManyIsAllOrNothingWhenTheBatchRepeatsAUniqueKey() {
            insert(item("existing"));
            assertDuplicate(() -> db.insertMany(ITEMS, List.of(item("a", "sku", "S-1"), item("b", "sku", "S-2"),
                    item("c", "sku", "S-1"), item("d", "sku", "S-3"))));
            assertThat(names(all())).containsExactly("existing");
        }

        @Test
        void insertManyIsAllOrNothingWhenOneCollidesWithStoredData() {
            insert(item("existing", "sku", "TAKEN"));
            assertDuplicate(() -> db.insertMany(ITEMS, List.of(item("a", "sku", "FREE-1"), item("b", "sku", "TAKEN"),
                    item("c", "sku", "FREE-2"))));
            assertThat(names(all())).containsExactly("existing");
        }

        @Test
        void aLargeInsertManyIsAllOrNothingToo() {
            // More rows than SQLite writes with one statement: the rest of the batch goes row by row.
            insert(item("existing", "sku", "TAKEN"));
            List<Document> many = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                many.add(item("n" + i, "sku", i == 15 ? "TAKEN" : "S-" + i));
            }
            assertDuplicate(() -> db.insertMany(ITEMS, many));
            assertThat(names(all())).containsExactly("existing");
            many.set(15, item("n15", "sku", "S-15"));
            assertThat(db.insertMany(ITEMS, many)).hasSize(20).doesNotHaveDuplicates();
            assertThat(db.count(ITEMS, all())).isEqualTo(21);
        }

        @Test
        void insertManyIsAllOrNothingWhenOneDocumentIsInvalid() {
            assertInvalid(() -> db.insertMany(ITEMS, List.of(item("a"), item("b"), Document.of("qty", 1L))));
            assertInvalid(() -> db.insertMany(ITEMS, Arrays.asList(item("a"), null)));
            assertThat(db.count(ITEMS, all())).isZero();
        }
    }

    // ---------------------------------------------------------------- updating

    @Nested
    class Updating {
        @Test
        void updateOneChangesOnlyOneDocumentEvenWhenSeveralMatch() {
            seedCatalog();
            UpdateResult result = db.updateOne(ITEMS, eq("category", "tools"), set("note", "touched"));
            assertThat(result.matchedCount()).isEqualTo(1);
            assertThat(result.upsertedId()).isNull();
            assertThat(result.wasUpserted()).isFalse();
            assertThat(names(eq("note", "touched"))).hasSize(1).isSubsetOf("alpha", "beta");
        }

        @Test
        void updateOneChangesOnlyTheNamedFields() {
            seedCatalog();
            db.updateOne(ITEMS, eq("_id", "i1"), set("qty", 6L));
            Document expected = catalog().get(0).put("qty", 6L);
            assertThat(byId("i1")).isEqualTo(expected);
            assertThat(byId("i2")).isEqualTo(catalog().get(1));
        }

        @Test
        void updateOneWithNoMatchChangesNothing() {
            seedCatalog();
            UpdateResult result = db.updateOne(ITEMS, eq("name", "nobody"), set("qty", 1L));
            assertThat(result).isEqualTo(new UpdateResult(0, null));
            assertThat(snapshot()).isEqualTo(sortedCatalog());
        }

        @Test
        void updateSettingTheSameValueStillCountsAsMatched() {
            seedCatalog();
            assertThat(db.updateOne(ITEMS, eq("name", "alpha"), set("qty", 5L)).matchedCount()).isEqualTo(1);
        }

        @Test
        void updateManyChangesEveryMatchAndCountsThem() {
            seedCatalog();
            UpdateResult result = db.updateMany(ITEMS, eq("category", "toys"), inc("qty", 100L));
            assertThat(result).isEqualTo(new UpdateResult(2, null));
            assertThat(byName("gamma").getLong("qty")).isEqualTo(100L);
            assertThat(byName("epsilon").getLong("qty")).isEqualTo(97L);
            assertThat(byName("alpha").getLong("qty")).isEqualTo(5L);
            assertThat(byName("delta").has("qty")).isFalse();
        }

        @Test
        void updateManyWithNoMatchCountsZero() {
            seedCatalog();
            assertThat(db.updateMany(ITEMS, eq("category", "food"), set("qty", 1L)).matchedCount()).isZero();
            assertThat(snapshot()).isEqualTo(sortedCatalog());
        }

        @Test
        void updateNeverChangesTheId() {
            seedCatalog();
            db.updateOne(ITEMS, eq("_id", "i4"), set("qty", 4L));
            assertThat(byId("i4").getLong("qty")).isEqualTo(4L);
            assertThat(db.count(ITEMS, all())).isEqualTo(5);
        }

        private List<Document> sortedCatalog() {
            return catalog().stream().sorted(Comparator.comparing(Document::id)).toList();
        }
    }

    @Nested
    class Upserting {
        @Test
        void upsertInsertsADocumentBuiltFromFilterEqualitiesAndTheUpdate() {
            UpdateResult result = db.updateOne(ITEMS,
                    and(eq("name", "widget"), eq("category", "tools"), gt("qty", 100L)),
                    combine(set("note", "new"), setOnInsert("created_at", T0), inc("price", 2.5), push("tags", "first")),
                    UpdateOptions.UPSERT);
            assertThat(result.matchedCount()).isZero();
            assertThat(result.wasUpserted()).isTrue();
            Document stored = byId(result.upsertedId());
            assertThat(stored).isEqualTo(Document.of("_id", result.upsertedId(), "name", "widget",
                    "category", "tools", "note", "new", "created_at", T0, "price", 2.5, "tags", List.of("first")));
        }

        @Test
        void upsertTakesEqualitiesFromTheTopLevelFilterToo() {
            UpdateResult result = db.updateOne(ITEMS, eq("name", "solo"), inc("qty", 3L), UpdateOptions.UPSERT);
            assertThat(byId(result.upsertedId())).isEqualTo(Document.of("_id", result.upsertedId(), "name", "solo",
                    "qty", 3L));
        }

        @Test
        void secondUpsertWithTheSameFilterUpdatesInsteadOfInserting() {
            Filter filter = and(eq("name", "widget"), eq("category", "tools"));
            String id = db.updateOne(ITEMS, filter, combine(set("note", "v1"), setOnInsert("created_at", T0),
                    inc("price", 2.5), push("tags", "first")), UpdateOptions.UPSERT).upsertedId();

            UpdateResult second = db.updateOne(ITEMS, filter, combine(set("note", "v2"), setOnInsert("created_at", T1),
                    inc("price", 2.5), push("tags", "second")), UpdateOptions.UPSERT);

            assertThat(second).isEqualTo(new UpdateResult(1, null));
            assertThat(db.count(ITEMS, all())).isEqualTo(1);
            assertThat(byId(id)).isEqualTo(Document.of("_id", id, "name", "widget", "category", "tools",
                    "note", "v2", "created_at", T0, "price", 5.0, "tags", List.of("first", "second")));
        }

        @Test
        void upsertWithAnIdEqualityUsesThatId() {
            UpdateResult result = db.updateOne(ITEMS, eq("_id", "chosen-id"), set("name", "chosen"),
                    UpdateOptions.UPSERT);
            assertThat(result.upsertedId()).isEqualTo("chosen-id");
            assertThat(byId("chosen-id").getString("name")).isEqualTo("chosen");
        }

        @Test
        void upsertAppliesTheUpdateOverTheFilterEqualities() {
            String id = db.updateOne(ITEMS, and(eq("name", "moved"), eq("category", "old")), set("category", "new"),
                    UpdateOptions.UPSERT).upsertedId();
            assertThat(byId(id).getString("category")).isEqualTo("new");
        }

        @Test
        void upsertThatWouldLackARequiredFieldIsRefusedAndInsertsNothing() {
            assertInvalid(() -> db.updateOne(ITEMS, eq("category", "tools"), set("qty", 1L), UpdateOptions.UPSERT));
            assertThat(db.count(ITEMS, all())).isZero();
        }

        @Test
        void upsertOnAMatchUpdatesOnlyOneDocument() {
            seedCatalog();
            UpdateResult result = db.updateOne(ITEMS, eq("category", "tools"), set("note", "up"), UpdateOptions.UPSERT);
            assertThat(result).isEqualTo(new UpdateResult(1, null));
            assertThat(db.count(ITEMS, all())).isEqualTo(5);
            assertThat(db.count(ITEMS, eq("note", "up"))).isEqualTo(1);
        }

        @Test
        void updateManyWithUpsertInsertsOneDocumentWhenNothingMatches() {
            UpdateResult result = db.updateMany(ITEMS, eq("name", "many"), set("qty", 1L), UpdateOptions.UPSERT);
            assertThat(result.matchedCount()).isZero();
            assertThat(byId(result.upsertedId()).getLong("qty")).isEqualTo(1L);
            assertThat(db.count(ITEMS, all())).isEqualTo(1);
        }

        @Test
        void updateManyWithUpsertUpdatesEveryMatch() {
            seedCatalog();
            UpdateResult result = db.updateMany(ITEMS, eq("category", "tools"), set("note", "both"),
                    UpdateOptions.UPSERT);
            assertThat(result).isEqualTo(new UpdateResult(2, null));
            assertThat(names(eq("note", "both"))).containsExactlyInAnyOrder("alpha", "beta");
        }

        @Test
        void setOnInsertDoesNothingToAnExistingDocument() {
            seedCatalog();
            UpdateResult result = db.updateOne(ITEMS, eq("name", "delta"), setOnInsert("qty", 9L),
                    UpdateOptions.UPSERT);
            assertThat(result).isEqualTo(new UpdateResult(1, null));
            assertThat(byName("delta").has("qty")).isFalse();
        }

        @Test
        void upsertThatBreaksAUniqueIndexIsADuplicate() {
            insert(item("holder", "sku", "TAKEN"));
            assertDuplicate(() -> db.updateOne(ITEMS, eq("name", "newcomer"), set("sku", "TAKEN"),
                    UpdateOptions.UPSERT));
            assertThat(names(all())).containsExactly("holder");
        }
    }

    // ---------------------------------------------------------------- update operators

    @Nested
    class UpdateOperators {
        private String id;

        @BeforeEach
        void insertOne() {
            id = insert(item("target", "qty", 1L, "price", 1.5, "note", "n", "tags", List.of("x")));
        }

        @Test
        void setReplacesAValue() {
            db.updateOne(ITEMS, eq("_id", id), set("note", "changed"));
            assertThat(byId(id).getString("note")).isEqualTo("changed");
        }

        @Test
        void setAddsAMissingField() {
            db.updateOne(ITEMS, eq("_id", id), set("created_at", T1));
            assertThat(byId(id).getInstant("created_at")).isEqualTo(T1);
        }

        @Test
        void setStoresCanonicalValues() {
            db.updateOne(ITEMS, eq("_id", id), combine(set("qty", 3), set("price", 2L), set("attrs", Map.of("k", 1))));
            Document stored = byId(id);
            assertThat(stored.get("qty")).isEqualTo(3L);
            assertThat(stored.get("price")).isEqualTo(2.0);
            assertThat(stored.getMap("attrs")).isEqualTo(Map.of("k", 1L));
        }

        @Test
        void unsetRemovesAField() {
            db.updateOne(ITEMS, eq("_id", id), unset("note"));
            assertThat(byId(id).has("note")).isFalse();
            assertThat(names(exists("note", false))).containsExactly("target");
        }

        @Test
        void unsetOfAMissingFieldIsHarmless() {
            assertThat(db.updateOne(ITEMS, eq("_id", id), unset("sku")).matchedCount()).isEqualTo(1);
            assertThat(byId(id).has("sku")).isFalse();
            assertThat(byId(id).getLong("qty")).isEqualTo(1L);
        }

        @Test
        void setToNullIsTheSameAsUnset() {
            db.updateOne(ITEMS, eq("_id", id), set("note", null));
            assertThat(byId(id).has("note")).isFalse();
            assertThat(db.count(ITEMS, eq("note", null))).isEqualTo(1);
            assertThat(db.count(ITEMS, exists("note"))).isZero();
        }

        @Test
        void incAddsToALong() {
            db.updateOne(ITEMS, eq("_id", id), inc("qty", 41L));
            assertThat(byId(id).get("qty")).isEqualTo(42L);
            db.updateOne(ITEMS, eq("_id", id), inc("qty", -50));
            assertThat(byId(id).get("qty")).isEqualTo(-8L);
        }

        @Test
        void incAddsToADouble() {
            db.updateOne(ITEMS, eq("_id", id), inc("price", 0.25));
            assertThat(byId(id).get("price")).isEqualTo(1.75);
            db.updateOne(ITEMS, eq("_id", id), inc("price", 2L));
            assertThat(byId(id).get("price")).isEqualTo(3.75);
        }

        @Test
        void incOnAMissingFieldCountsItAsZero() {
            String other = insert(item("empty"));
            db.updateOne(ITEMS, eq("_id", other), combine(inc("qty", 5L), inc("price", 0.1)));
            assertThat(byId(other).get("qty")).isEqualTo(5L);
            assertThat(byId(other).get("price")).isEqualTo(0.1);
            db.updateOne(ITEMS, eq("_id", other), inc("price", 0.2));
            assertThat(byId(other).get("price")).isEqualTo(0.1 + 0.2);
        }

        @Test
        void incPastTheLongRangeFailsAndKeepsTheValue() {
            String max = insert(item("max", "qty", Long.MAX_VALUE));
            String min = insert(item("min", "qty", Long.MIN_VALUE));
            assertThatThrownBy(() -> db.updateOne(ITEMS, eq("_id", max), inc("qty", 1L)))
                    .isInstanceOf(DatabaseException.class);
            assertThatThrownBy(() -> db.updateOne(ITEMS, eq("_id", min), inc("qty", -1L)))
                    .isInstanceOf(DatabaseException.class);
            assertThat(byId(max).get("qty")).isEqualTo(Long.MAX_VALUE);
            assertThat(byId(min).get("qty")).isEqualTo(Long.MIN_VALUE);
            db.updateOne(ITEMS, eq("_id", max), inc("qty", -1L));
            assertThat(byId(max).get("qty")).isEqualTo(Long.MAX_VALUE - 1);
        }

        @Test
        void incOfALongByAFractionIsRefused() {
            assertInvalid(() -> db.updateOne(ITEMS, eq("_id", id), inc("qty", 1.5)));
            assertThat(byId(id).get("qty")).isEqualTo(1L);
        }

        @Test
        void pushAppendsToAList() {
            db.updateOne(ITEMS, eq("_id", id), push("tags", "y"));
            db.updateOne(ITEMS, eq("_id", id), push("tags", 3));
            assertThat(byId(id).getList("tags")).containsExactly("x", "y", 3L);
        }

        @Test
        void pushOnAMissingFieldMakesAOneElementList() {
            String other = insert(item("empty"));
            db.updateOne(ITEMS, eq("_id", other), push("tags", "first"));
            assertThat(byId(other).getList("tags")).containsExactly("first");
        }

        @Test
        void pushOfAListOrMapAppendsItAsOneElement() {
            db.updateOne(ITEMS, eq("_id", id), push("tags", List.of("p", "q")));
            db.updateOne(ITEMS, eq("_id", id), push("tags", Map.of("at", T0)));
            assertThat(byId(id).getList("tags")).isEqualTo(List.of("x", List.of("p", "q"), Map.of("at", T0)));
        }

        @Test
        void combineAppliesSeveralOperationsTogether() {
            UpdateResult result = db.updateOne(ITEMS, eq("_id", id), combine(set("note", "c"), unset("price"),
                    inc("qty", 2L), push("tags", "z"), set("active", true)));
            assertThat(result.matchedCount()).isEqualTo(1);
            assertThat(byId(id)).isEqualTo(Document.of("_id", id, "name", "target", "qty", 3L, "note", "c",
                    "tags", List.of("x", "z"), "active", true));
        }

        @Test
        void setAllSetsEveryEntry() {
            db.updateOne(ITEMS, eq("_id", id), Updates.setAll(Map.of("note", "all", "qty", 9L)));
            assertThat(byId(id).getString("note")).isEqualTo("all");
            assertThat(byId(id).getLong("qty")).isEqualTo(9L);
        }

        @Test
        void twoOperationsOnOneFieldAreRefused() {
            assertInvalid(() -> db.updateOne(ITEMS, eq("_id", id), combine(set("qty", 2L), inc("qty", 1L))));
            assertInvalid(() -> db.updateOne(ITEMS, eq("_id", id), combine(set("note", "a"), unset("note"))));
            assertThat(byId(id).getLong("qty")).isEqualTo(1L);
            assertThat(byId(id).getString("note")).isEqualTo("n");
        }

        @Test
        void changingTheIdIsRefused() {
            assertInvalid(() -> db.updateOne(ITEMS, eq("_id", id), set("_id", "other")));
            assertInvalid(() -> db.updateMany(ITEMS, all(), unset("_id")));
            assertThat(byId(id).getString("name")).isEqualTo("target");
        }

        @Test
        void aValueOfTheWrongTypeIsRefused() {
            assertInvalid(() -> db.updateOne(ITEMS, eq("_id", id), set("qty", "five")));
            assertInvalid(() -> db.updateOne(ITEMS, eq("_id", id), set("active", "yes")));
            assertInvalid(() -> db.updateOne(ITEMS, eq("_id", id), set("created_at", "2024-01-01T00:00:00Z")));
            assertInvalid(() -> db.updateOne(ITEMS, eq("_id", id), set("tags", "not a list")));
            assertInvalid(() -> db.updateOne(ITEMS, eq("_id", id), inc("note", 1L)));
            assertInvalid(() -> db.updateOne(ITEMS, eq("_id", id), push("note", "x")));
            assertThat(byId(id)).isEqualTo(Document.of("_id", id, "name", "target", "qty", 1L, "price", 1.5,
                    "note", "n", "tags", List.of("x")));
        }

        @Test
        void removingARequiredFieldIsRefused() {
            assertInvalid(() -> db.updateOne(ITEMS, eq("_id", id), unset("name")));
            assertInvalid(() -> db.updateOne(ITEMS, eq("_id", id), set("name", null)));
            assertThat(byId(id).getString("name")).isEqualTo("target");
        }

        @Test
        void anEmptyUpdateIsRefused() {
            assertInvalid(() -> db.updateOne(ITEMS, eq("_id", id), combine()));
            assertInvalid(() -> db.updateOne(ITEMS, eq("_id", id), null));
        }

        @Test
        void anUpdateBreakingAUniqueIndexIsADuplicateAndChangesNothing() {
            insert(item("holder", "sku", "TAKEN"));
            assertDuplicate(() -> db.updateOne(ITEMS, eq("_id", id), combine(set("sku", "TAKEN"), set("qty", 99L))));
            assertThat(byId(id).has("sku")).isFalse();
            assertThat(byId(id).getLong("qty")).isEqualTo(1L);
        }

        @Test
        void updateManyGivingTwoDocumentsOneUniqueKeyIsADuplicate() {
            insert(item("other"));
            assertDuplicate(() -> db.updateMany(ITEMS, all(), set("sku", "SAME")));
            assertThat(db.count(ITEMS, eq("sku", "SAME"))).isLessThanOrEqualTo(1);
        }
    }

    // ---------------------------------------------------------------- deleting

    @Nested
    class Deleting {
        @Test
        void deleteOneRemovesOneMatchAndSaysSo() {
            seedCatalog();
            assertThat(db.deleteOne(ITEMS, eq("category", "tools"))).isTrue();
            assertThat(db.count(ITEMS, eq("category", "tools"))).isEqualTo(1);
            assertThat(db.count(ITEMS, all())).isEqualTo(4);
        }

        @Test
        void deleteOneWithNoMatchReturnsFalse() {
            seedCatalog();
            assertThat(db.deleteOne(ITEMS, eq("name", "nobody"))).isFalse();
            assertThat(db.count(ITEMS, all())).isEqualTo(5);
        }

        @Test
        void deleteManyRemovesEveryMatchAndCountsThem() {
            seedCatalog();
            assertThat(db.deleteMany(ITEMS, exists("price", false))).isEqualTo(2);
            assertThat(names(all())).containsExactlyInAnyOrder("alpha", "beta", "epsilon");
        }

        @Test
        void deleteManyWithNoMatchReturnsZero() {
            seedCatalog();
            assertThat(db.deleteMany(ITEMS, eq("category", "food"))).isZero();
            assertThat(db.count(ITEMS, all())).isEqualTo(5);
        }

        @Test
        void deleteManyOfAllEmptiesTheCollection() {
            seedCatalog();
            assertThat(db.deleteMany(ITEMS, all())).isEqualTo(5);
            assertThat(db.count(ITEMS, all())).isZero();
        }

        @Test
        void aDeletedUniqueKeyCanBeUsedAgain() {
            insert(item("first", "sku", "S"));
            assertThat(db.deleteOne(ITEMS, eq("sku", "S"))).isTrue();
            String id = insert(item("second", "sku", "S"));
            assertThat(byId(id).getString("sku")).isEqualTo("S");
        }
    }

    // ---------------------------------------------------------------- comparison operators

    @Nested
    class ComparisonOperators {
        @BeforeEach
        void seed() {
            seedCatalog();
        }

        @Test
        void eqMatchesEqualValues() {
            assertThat(names(eq("category", "tools"))).containsExactlyInAnyOrder("alpha", "beta");
            assertThat(names(eq("qty", 0L))).containsExactly("gamma");
            assertThat(names(eq("created_at", T1))).containsExactly("beta");
        }

        @Test
        void eqOnStringsIsCaseSensitive() {
            assertThat(names(eq("name", "ALPHA"))).isEmpty();
            assertThat(names(eq("name", "Alpha"))).isEmpty();
        }

        @Test
        void eqNullMatchesMissingField() {
            assertThat(names(eq("price", null))).containsExactlyInAnyOrder("gamma", "delta");
            assertThat(names(eq("note", null))).containsExactlyInAnyOrder("beta", "delta");
        }

        @Test
        void falseZeroAndEmptyStringAreValuesNotMissing() {
            assertThat(names(eq("active", false))).containsExactlyInAnyOrder("beta", "epsilon");
            assertThat(names(eq("qty", 0L))).containsExactly("gamma");
            assertThat(names(eq("note", ""))).containsExactly("gamma");
            assertThat(names(eq("note", null))).doesNotContain("gamma");
        }

        @Test
        void neMatchesDifferentValuesAndMissingFields() {
            assertThat(names(ne("category", "tools"))).containsExactlyInAnyOrder("gamma", "delta", "epsilon");
            assertThat(names(ne("active", true))).containsExactlyInAnyOrder("beta", "delta", "epsilon");
            assertThat(names(ne("qty", 5L))).containsExactlyInAnyOrder(allBut("alpha").toArray(String[]::new));
        }

        @Test
        void neNullMatchesPresentFields() {
            assertThat(names(ne("price", null))).containsExactlyInAnyOrder("alpha", "beta", "epsilon");
        }

        @Test
        void gtAndGteOnLongs() {
            assertThat(names(gt("qty", 5L))).containsExactly("beta");
            assertThat(names(gte("qty", 5L))).containsExactlyInAnyOrder("alpha", "beta");
        }

        @Test
        void ltAndLteOnLongs() {
            assertThat(names(lt("qty", 0L))).containsExactly("epsilon");
            assertThat(names(lte("qty", 0L))).containsExactlyInAnyOrder("gamma", "epsilon");
        }

        @Test
        void rangeOperatorsNeverMatchMissingFields() {
            assertThat(names(gt("qty", Long.MIN_VALUE))).doesNotContain("delta").hasSize(4);
            assertThat(names(lt("qty", Long.MAX_VALUE))).doesNotContain("delta").hasSize(4);
            assertThat(names(lte("price", Double.MAX_VALUE))).containsExactlyInAnyOrder("alpha", "beta", "epsilon");
            assertThat(names(gte("created_at", Instant.parse("0001-01-01T00:00:00Z"))))
                    .containsExactlyInAnyOrder("alpha", "beta", "epsilon");
        }

        @Test
        void rangeOnStringsUsesBinaryOrder() {
            assertThat(names(gt("name", "c"))).containsExactlyInAnyOrder("gamma", "delta", "epsilon");
            assertThat(names(gte("name", "delta"))).containsExactlyInAnyOrder("gamma", "delta", "epsilon");
            assertThat(names(lt("name", "B"))).isEmpty();
            assertThat(names(lt("category", "toys"))).containsExactlyInAnyOrder("alpha", "beta");
        }

        @Test
        void rangeOnBooleansOrdersFalseBeforeTrue() {
            assertThat(names(gt("active", false))).containsExactlyInAnyOrder("alpha", "gamma");
            assertThat(names(lt("active", true))).containsExactlyInAnyOrder("beta", "epsilon");
        }

        @Test
        void aLongFieldComparesWithDoubleValues() {
            assertThat(names(gt("qty", 4.5))).containsExactlyInAnyOrder("alpha", "beta");
            assertThat(names(lt("qty", -2.5))).containsExactly("epsilon");
            assertThat(names(eq("qty", 5.0))).containsExactly("alpha");
            assertThat(names(eq("qty", 5.5))).isEmpty();
            assertThat(names(in("qty", 10.0, 0L))).containsExactlyInAnyOrder("beta", "gamma");
        }

        @Test
        void aDoubleFieldComparesWithLongValues() {
            assertThat(names(lt("price", 3L))).containsExactlyInAnyOrder("alpha", "epsilon");
            assertThat(names(eq("price", 10L))).containsExactly("beta");
            assertThat(names(gte("price", -1))).containsExactlyInAnyOrder("alpha", "beta");
        }

        @Test
        void rangeOnInstants() {
            assertThat(names(gt("created_at", T0))).containsExactlyInAnyOrder("beta", "epsilon");
            assertThat(names(and(gte("created_at", T0), lt("created_at", T2)))).containsExactlyInAnyOrder("alpha", "beta");
            assertThat(names(lte("created_at", T0))).containsExactly("alpha");
        }

        @Test
        void rangeWithNullIsRefused() {
            assertInvalid(() -> db.findMany(ITEMS, gt("qty", null)));
            assertInvalid(() -> db.findMany(ITEMS, lte("created_at", null)));
        }

        @Test
        void aValueOfTheWrongTypeIsRefused() {
            assertInvalid(() -> db.findMany(ITEMS, eq("qty", "five")));
            assertInvalid(() -> db.findMany(ITEMS, gt("created_at", "2024-01-01")));
            assertInvalid(() -> db.findMany(ITEMS, eq("active", 1L)));
            assertInvalid(() -> db.count(ITEMS, eq("name", 1L)));
        }

        @Test
        void rangeOnListsAndMapsIsRefused() {
            assertInvalid(() -> db.findMany(ITEMS, gt("tags", "a")));
            assertInvalid(() -> db.findMany(ITEMS, lt("attrs", Map.of("a", 1L))));
            assertInvalid(() -> db.findMany(ITEMS, eq("attrs", Map.of("a", 1L))));
        }
    }

    // ---------------------------------------------------------------- membership and existence

    @Nested
    class MembershipAndExistence {
        @BeforeEach
        void seed() {
            seedCatalog();
        }

        @Test
        void inMatchesAnyOfTheValues() {
            assertThat(names(in("name", "alpha", "delta", "nobody"))).containsExactlyInAnyOrder("alpha", "delta");
            assertThat(names(in("active", List.of(true)))).containsExactlyInAnyOrder("alpha", "gamma");
        }

        @Test
        void inWithNullMatchesMissingFields() {
            assertThat(names(in("note", Arrays.asList(null, "last")))).containsExactlyInAnyOrder("beta", "delta",
                    "epsilon");
            assertThat(names(in("category", Arrays.asList((Object) null)))).containsExactly("delta");
        }

        @Test
        void inWithAnEmptyListMatchesNothing() {
            assertThat(names(in("category", List.of()))).isEmpty();
        }

        @Test
        void ninMatchesNoneOfTheValuesAndMissingFields() {
            assertThat(names(nin("category", "tools"))).containsExactlyInAnyOrder("gamma", "delta", "epsilon");
            assertThat(names(nin("qty", 5L, 10L))).containsExactlyInAnyOrder("gamma", "delta", "epsilon");
        }

        @Test
        void ninWithNullExcludesMissingFields() {
            assertThat(names(nin("note", Arrays.asList(null, "last")))).containsExactlyInAnyOrder("alpha", "gamma");
        }

        @Test
        void ninWithAnEmptyListMatchesEverything() {
            assertThat(names(nin("category", List.of()))).containsExactlyInAnyOrderElementsOf(ALL_NAMES);
        }

        @Test
        void inOverIds() {
            assertThat(names(in("_id", "i1", "i3", "no-such-id"))).containsExactlyInAnyOrder("alpha", "gamma");
            assertThat(names(nin("_id", List.of("i1", "i2")))).containsExactlyInAnyOrder("gamma", "delta", "epsilon");
        }

        @Test
        void inWithThousandsOfValues() {
            List<String> ids = new ArrayList<>(IntStream.range(0, 5_000).mapToObj(i -> "absent-" + i).toList());
            ids.add("i2");
            assertThat(names(in("_id", ids))).containsExactly("beta");
            assertThat(names(nin("_id", ids))).hasSize(4);
        }

        @Test
        void existsTrueMatchesPresentFieldsIncludingEmptyValues() {
            assertThat(names(exists("price"))).containsExactlyInAnyOrder("alpha", "beta", "epsilon");
            assertThat(names(exists("note", true))).containsExactlyInAnyOrder("alpha", "gamma", "epsilon");
            assertThat(names(exists("tags"))).containsExactlyInAnyOrder("alpha", "beta", "gamma", "epsilon");
        }

        @Test
        void existsFalseMatchesMissingFields() {
            assertThat(names(exists("price", false))).containsExactlyInAnyOrder("gamma", "delta");
            assertThat(names(exists("tags", false))).containsExactly("delta");
        }

        @Test
        void existsOnTheIdMatchesEverything() {
            assertThat(names(exists("_id"))).hasSize(5);
        }

        @Test
        void eqNullOnAMapFieldMatchesDocumentsWithoutIt() {
            String id = insert(item("with attrs", "attrs", Map.of("k", "v")));
            assertThat(names(eq("attrs", null))).containsExactlyInAnyOrderElementsOf(ALL_NAMES);
            assertThat(names(exists("attrs"))).containsExactly("with attrs");
            assertThat(byId(id).getMap("attrs")).isEqualTo(Map.of("k", "v"));
        }

        @Test
        void aListInsideAnInListIsRefused() {
            assertInvalid(() -> db.findMany(ITEMS, in("tags", List.of(List.of("a")))));
        }
    }

    // ---------------------------------------------------------------- logical operators

    @Nested
    class FieldsThatDiffer {
        @BeforeEach
        void seed() {
            insert(item("same", "note", "x", "category", "x"));
            insert(item("other", "note", "x", "category", "y"));
            insert(item("case", "note", "X", "category", "x"));
            insert(item("one missing", "note", "x"));
            insert(item("other missing", "category", "x"));
            insert(item("empty", "note", "", "category", ""));
            insert(item("empty and missing", "note", ""));
            insert(item("both missing"));
        }

        @Test
        void differsMatchesUnequalValuesAndAValueBesideAMissingField() {
            assertThat(names(differs("note", "category"))).containsExactlyInAnyOrder("other", "case", "one missing",
                    "other missing", "empty and missing");
            assertThat(names(differs("category", "note"))).containsExactlyInAnyOrder("other", "case", "one missing",
                    "other missing", "empty and missing");
        }

        @Test
        void notDiffersMatchesEqualValuesAndTwoMissingFields() {
            assertThat(names(not(differs("note", "category")))).containsExactlyInAnyOrder("same", "empty",
                    "both missing");
            assertThat(db.count(ITEMS, differs("note", "note"))).isZero();
        }

        @Test
        void differsCombinesWithOtherFilters() {
            assertThat(names(and(eq("note", "x"), differs("note", "category")))).containsExactlyInAnyOrder("other",
                    "one missing");
            assertThat(names(or(eq("name", "same"), differs("note", "category"), eq("name", "both missing"))))
                    .containsExactlyInAnyOrder("same", "other", "case", "one missing", "other missing",
                            "empty and missing", "both missing");
            insert(item("sku is note", "sku", "s", "note", "s"));
            assertThat(names(and(exists("sku"), not(differs("sku", "note"))))).containsExactly("sku is note");
        }

        @Test
        void differsRefusesUnknownFieldsMixedTypesListsMapsAndDoubles() {
            assertInvalid(() -> db.count(ITEMS, differs("note", "no_such_field")));
            assertInvalid(() -> db.count(ITEMS, differs("note", "qty")));
            assertInvalid(() -> db.count(ITEMS, differs("created_at", "note")));
            assertInvalid(() -> db.count(ITEMS, differs("tags", "tags")));
            assertInvalid(() -> db.count(ITEMS, differs("attrs", "attrs")));
            assertInvalid(() -> db.count(ITEMS, differs("price", "price")));
            assertInvalid(() -> db.count(ITEMS, differs("note", "x; DROP TABLE contract_items")));
            // MongoDB stores ids of 24 hex digits as ObjectIds, which equal no string.
            assertInvalid(() -> db.count(ITEMS, differs("_id", "sku")));
            assertInvalid(() -> db.count(ITEMS, differs("sku", "_id")));
        }
    }

    @Nested
    class LogicalOperators {
        @BeforeEach
        void seed() {
            seedCatalog();
        }

        @Test
        void andRequiresEveryCondition() {
            assertThat(names(and(eq("category", "tools"), gt("qty", 6L)))).containsExactly("beta");
        }

        @Test
        void emptyAndMatchesAll() {
            assertThat(names(and())).containsExactlyInAnyOrderElementsOf(ALL_NAMES);
            assertThat(names(all())).containsExactlyInAnyOrderElementsOf(ALL_NAMES);
        }

        @Test
        void orRequiresAnyCondition() {
            assertThat(names(or(eq("name", "delta"), and(eq("category", "tools"), gt("qty", 6L)))))
                    .containsExactlyInAnyOrder("beta", "delta");
        }

        @Test
        void emptyOrMatchesNothing() {
            assertThat(names(or())).isEmpty();
            assertThat(names(and(all(), or()))).isEmpty();
            assertThat(db.count(ITEMS, or())).isZero();
        }

        @Test
        void notOfEqMatchesDocumentsWithTheFieldMissing() {
            assertThat(names(not(eq("category", "tools")))).containsExactlyInAnyOrder("gamma", "delta", "epsilon");
        }

        @Test
        void notOfARangeMatchesDocumentsWithTheFieldMissing() {
            assertThat(names(not(gt("qty", 0L)))).containsExactlyInAnyOrder("gamma", "delta", "epsilon");
        }

        @Test
        void notOfInAndNin() {
            assertThat(names(not(in("category", "tools")))).containsExactlyInAnyOrder("gamma", "delta", "epsilon");
            assertThat(names(not(nin("category", "tools")))).containsExactlyInAnyOrder("alpha", "beta");
        }

        @Test
        void notOfExistsMatchesMissingFields() {
            assertThat(names(not(exists("note")))).containsExactlyInAnyOrder("beta", "delta");
        }

        @Test
        void notOfContainsMatchesDocumentsWithTheFieldMissing() {
            assertThat(names(not(containsIgnoreCase("note", "NOTE")))).containsExactlyInAnyOrder(allBut("alpha")
                    .toArray(String[]::new));
        }

        @Test
        void notOfOrIsTrueWhenEveryBranchIsFalseOrMissing() {
            assertThat(names(not(or(eq("category", "toys"), lt("qty", 6L))))).containsExactlyInAnyOrder("beta", "delta");
        }

        @Test
        void notOfAnd() {
            assertThat(names(not(and(eq("category", "tools"), gt("qty", 6L))))).containsExactlyInAnyOrder(
                    allBut("beta").toArray(String[]::new));
        }

        @Test
        void doubleNegationIsTheOriginal() {
            assertThat(names(not(not(eq("category", "tools"))))).containsExactlyInAnyOrder("alpha", "beta");
        }

        @Test
        void notOfNothingIsEverythingAndNotOfEverythingIsNothing() {
            assertThat(names(not(or()))).containsExactlyInAnyOrderElementsOf(ALL_NAMES);
            assertThat(names(not(all()))).isEmpty();
        }

        @Test
        void notOfNeIsEq() {
            assertThat(names(not(ne("note", "last")))).containsExactly("epsilon");
        }
    }

    // ---------------------------------------------------------------- list fields

    @Nested
    class ListFields {
        @BeforeEach
        void seed() {
            seedCatalog();
        }

        @Test
        void eqOnAListFieldMatchesAnElement() {
            assertThat(names(eq("tags", "b"))).containsExactlyInAnyOrder("alpha", "beta");
            assertThat(names(eq("tags", "zzz"))).isEmpty();
        }

        @Test
        void neOnAListFieldMatchesListsWithoutThatElementAndMissingLists() {
            assertThat(names(ne("tags", "b"))).containsExactlyInAnyOrder("gamma", "delta", "epsilon");
        }

        @Test
        void inAndNinOnAListFieldTestTheElements() {
            assertThat(names(in("tags", "a", "c"))).containsExactlyInAnyOrder("alpha", "beta", "epsilon");
            assertThat(names(nin("tags", "a", "c"))).containsExactlyInAnyOrder("gamma", "delta");
        }

        @Test
        void eqWithAWholeListMatchesThatExactList() {
            assertThat(names(eq("tags", List.of("a", "b")))).containsExactly("alpha");
            assertThat(names(eq("tags", List.of("b", "a")))).isEmpty();
            assertThat(names(eq("tags", List.of("a")))).isEmpty();
        }

        @Test
        void eqWithAnEmptyListMatchesOnlyEmptyLists() {
            assertThat(names(eq("tags", List.of()))).containsExactly("gamma");
        }

        @Test
        void elementMatchWorksForNumbersAndBooleans() {
            String id = insert(item("mixed", "tags", List.of(7L, 2.5, true)));
            assertThat(names(eq("tags", 7L))).containsExactly("mixed");
            assertThat(names(eq("tags", 7.0))).containsExactly("mixed");
            assertThat(names(eq("tags", 2.5))).containsExactly("mixed");
            assertThat(names(eq("tags", true))).containsExactly("mixed");
            assertThat(names(in("tags", 99L, 2.5))).containsExactly("mixed");
            assertThat(names(eq("tags", "7"))).isEmpty();
            assertThat(byId(id).getList("tags")).containsExactly(7L, 2.5, true);
        }

        @Test
        void elementMatchWorksForInstants() {
            insert(item("dated", "tags", List.of("x", T1)));
            assertThat(names(eq("tags", T1))).containsExactly("dated");
            assertThat(names(in("tags", T0, T1))).containsExactly("dated");
            assertThat(names(eq("tags", T0))).isEmpty();
            assertThat(names(ne("tags", T1))).doesNotContain("dated").hasSize(5);
            assertThat(names(nin("tags", T1))).doesNotContain("dated").hasSize(5);
        }

        @Test
        void elementMatchKeepsBooleansAndNumbersApart() {
            insert(item("flags", "tags", List.of(true, false)));
            insert(item("bits", "tags", List.of(1L, 0L)));
            assertThat(names(eq("tags", true))).containsExactly("flags");
            assertThat(names(eq("tags", 1L))).containsExactly("bits");
            assertThat(names(eq("tags", 0.0))).containsExactly("bits");
            assertThat(names(in("tags", false))).containsExactly("flags");
            assertThat(names(nin("tags", 0L))).contains("flags").doesNotContain("bits");
        }

        @Test
        void elementMatchKeepsInstantsAndStringsApart() {
            insert(item("when", "tags", List.of(T1)));
            insert(item("text", "tags", List.of(T1.toString(), "2024-06-01T00:00:00.000Z",
                    "2024-06-01T00:00:00.000000+00:00")));
            assertThat(names(eq("tags", T1))).containsExactly("when");
            assertThat(names(eq("tags", T1.toString()))).containsExactly("text");
            assertThat(names(eq("tags", "2024-06-01T00:00:00.000000+00:00"))).containsExactly("text");
        }

        @Test
        void eqWithAWholeListOfMixedValues() {
            insert(item("mixed", "tags", List.of(7L, 2.5, T1, true, "s")));
            assertThat(names(eq("tags", List.of(7L, 2.5, T1, true, "s")))).containsExactly("mixed");
            assertThat(names(eq("tags", List.of(7L, 2.5, T1, true)))).isEmpty();
        }

        @Test
        void neWithAWholeListMatchesEveryOtherList() {
            assertThat(names(ne("tags", List.of("a", "b")))).containsExactlyInAnyOrder(allBut("alpha")
                    .toArray(String[]::new));
        }

        @Test
        void elementMatchIsNotASubstringMatch() {
            insert(item("long words", "tags", List.of("alphabet", "ab")));
            assertThat(names(eq("tags", "a"))).containsExactly("alpha");
            assertThat(names(eq("tags", "alpha"))).isEmpty();
        }
    }

    // ---------------------------------------------------------------- containsIgnoreCase

    static Stream<Arguments> literalContainsCases() {
        return Stream.of(
                Arguments.of("%", List.of("100% natural")),
                Arguments.of("_", List.of("snake_case")),
                Arguments.of("-", List.of("well-known")),
                Arguments.of(".", List.of("file.txt", "regex a.*b")),
                Arguments.of("e.t", List.of("file.txt")),
                Arguments.of(".*", List.of("regex a.*b")),
                Arguments.of("\\", List.of("windows C:\\path")),
                Arguments.of("[", List.of("[brackets]")),
                Arguments.of("(", List.of("(parens)")),
                Arguments.of("^", List.of("caret^dollar$")),
                Arguments.of("$", List.of("caret^dollar$")),
                Arguments.of("+", List.of("star*plus+?")),
                Arguments.of("?", List.of("star*plus+?")),
                Arguments.of("'", List.of("l'école")),
                Arguments.of("🚀", List.of("launch 🚀 now")));
    }

    @Nested
    class ContainsIgnoreCase {
        private static final List<String> NOTES = List.of("100% natural", "snake_case", "well-known", "file.txt",
                "fileAtxt", "regex a.*b", "windows C:\\path", "[brackets]", "(parens)", "caret^dollar$", "star*plus+?",
                "l'école", "ÜNÏCÖDÉ ÉCOLE", "launch 🚀 now", "Plain Text", "ΟΔΥΣΣΕΥΣ");

        @BeforeEach
        void seed() {
            db.insertMany(ITEMS, NOTES.stream().map(n -> item(n, "note", n)).toList());
            insert(item("no note"));
        }

        private List<String> containing(String text) {
            return names(containsIgnoreCase("note", text));
        }

        @ParameterizedTest(name = "\"{0}\" means itself")
        @MethodSource("dev.orbit.db.DatabaseContractTest#literalContainsCases")
        void specialCharactersAreLiteral(String text, List<String> expected) {
            assertThat(containing(text)).containsExactlyInAnyOrderElementsOf(expected);
        }

        @Test
        void matchesSubstringsIgnoringAsciiCase() {
            assertThat(containing("plain")).containsExactly("Plain Text");
            assertThat(containing("AIN TE")).containsExactly("Plain Text");
            assertThat(containing("WeLL-KnOwN")).containsExactly("well-known");
        }

        @Test
        void ignoresCaseOfNonAsciiLetters() {
            assertThat(containing("école")).containsExactlyInAnyOrder("l'école", "ÜNÏCÖDÉ ÉCOLE");
            assertThat(containing("ÉCOLE")).containsExactlyInAnyOrder("l'école", "ÜNÏCÖDÉ ÉCOLE");
            assertThat(containing("ünïcödé")).containsExactly("ÜNÏCÖDÉ ÉCOLE");
        }

        @Test
        void matchesGreekSigmaInEveryForm() {
            // An exact-case substring must match; lower-casing "ΟΔΥΣ" alone gives a final sigma "οδυς".
            assertThat(containing("ΟΔΥΣ")).containsExactly("ΟΔΥΣΣΕΥΣ");
            assertThat(containing("οδυσσευς")).containsExactly("ΟΔΥΣΣΕΥΣ");
            assertThat(containing("οδυσσευσ")).containsExactly("ΟΔΥΣΣΕΥΣ");
        }

        @Test
        void doesNotMatchAccentsAsPlainLetters() {
            assertThat(containing("ecole")).isEmpty();
        }

        @Test
        void neverMatchesAMissingField() {
            assertThat(containing("")).hasSize(NOTES.size()).doesNotContain("no note");
        }

        @Test
        void combinesWithOtherFilters() {
            assertThat(names(and(containsIgnoreCase("note", "FILE"), ne("name", "fileAtxt")))).containsExactly("file.txt");
        }

        @Test
        void onlyStringFieldsCanBeSearched() {
            assertInvalid(() -> db.findMany(ITEMS, containsIgnoreCase("tags", "a")));
            assertInvalid(() -> db.findMany(ITEMS, containsIgnoreCase("qty", "1")));
        }
    }

    // ---------------------------------------------------------------- sorting and windows

    @Nested
    class Sorting {
        private List<String> sorted(Sort sort) {
            return names(all(), FindOptions.sortedBy(sort));
        }

        @Test
        void multiKeySortWithMixedDirections() {
            seedCatalog();
            assertThat(sorted(Sort.ascending("category").then(Sort.descending("qty"))))
                    .containsExactly("delta", "beta", "alpha", "gamma", "epsilon");
            assertThat(sorted(Sort.descending("category").then(Sort.ascending("name"))))
                    .containsExactly("epsilon", "gamma", "alpha", "beta", "delta");
        }

        @Test
        void missingValuesSortFirstAscendingAndLastDescending() {
            seedCatalog();
            assertThat(sorted(Sort.ascending("qty"))).containsExactly("delta", "epsilon", "gamma", "alpha", "beta");
            assertThat(sorted(Sort.descending("qty"))).containsExactly("beta", "alpha", "gamma", "epsilon", "delta");
            assertThat(sorted(Sort.ascending("price").then(Sort.ascending("name"))))
                    .containsExactly("delta", "gamma", "epsilon", "alpha", "beta");
            assertThat(sorted(Sort.descending("created_at").then(Sort.ascending("name"))))
                    .containsExactly("epsilon", "beta", "alpha", "delta", "gamma");
        }

        @Test
        void anEmptyStringSortsAfterMissingAndBeforeText() {
            seedCatalog();
            assertThat(sorted(Sort.ascending("note").then(Sort.ascending("name"))))
                    .containsExactly("beta", "delta", "gamma", "alpha", "epsilon");
        }

        @Test
        void stringsSortInBinaryOrder() {
            db.insertMany(ITEMS, List.of(item("banana"), item("Apple"), item("apple"), item("Zed"), item("ä"),
                    item("z")));
            assertThat(sorted(Sort.ascending("name"))).containsExactly("Apple", "Zed", "apple", "banana", "z", "ä");
        }

        @Test
        void booleansSortFalseFirst() {
            seedCatalog();
            assertThat(sorted(Sort.ascending("active").then(Sort.ascending("name"))))
                    .containsExactly("delta", "beta", "epsilon", "alpha", "gamma");
        }

        @Test
        void idsAreSortable() {
            seedCatalog();
            assertThat(sorted(Sort.descending("_id"))).containsExactly("epsilon", "delta", "gamma", "beta", "alpha");
        }

        @Test
        void skipAndLimitCutWindowsOutOfTheOrder() {
            db.insertMany(ITEMS, IntStream.range(0, 10).mapToObj(i -> item("n" + i, "qty", (long) i)).toList());
            FindOptions byQty = FindOptions.sortedBy(Sort.ascending("qty"));
            assertThat(names(all(), byQty.skip(3).limit(4))).containsExactly("n3", "n4", "n5", "n6");
            assertThat(names(all(), byQty.skip(8).limit(5))).containsExactly("n8", "n9");
            assertThat(names(all(), byQty.limit(1))).containsExactly("n0");
            assertThat(names(all(), byQty.skip(7))).containsExactly("n7", "n8", "n9");
            assertThat(names(all(), byQty.skip(10))).isEmpty();
            assertThat(names(all(), byQty.skip(1_000).limit(1))).isEmpty();
            assertThat(names(all(), byQty.limit(0))).hasSize(10);
            assertThat(names(gte("qty", 5L), FindOptions.sortedBy(Sort.descending("qty")).skip(1).limit(2)))
                    .containsExactly("n8", "n7");
        }

        @Test
        void limitWithoutSortReturnsThatMany() {
            seedCatalog();
            assertThat(db.findMany(ITEMS, all(), FindOptions.ALL.limit(2))).hasSize(2);
            assertThat(db.findMany(ITEMS, all(), FindOptions.ALL.skip(4))).hasSize(1);
        }

        @Test
        void negativeSkipOrLimitIsRefused() {
            assertInvalid(() -> FindOptions.ALL.skip(-1));
            assertInvalid(() -> FindOptions.ALL.limit(-1));
        }

        @Test
        void sortingByAListOrMapOrUnknownFieldIsRefused() {
            assertInvalid(() -> db.findMany(ITEMS, all(), FindOptions.sortedBy(Sort.ascending("tags"))));
            assertInvalid(() -> db.findMany(ITEMS, all(), FindOptions.sortedBy(Sort.ascending("attrs"))));
            assertInvalid(() -> db.findMany(ITEMS, all(), FindOptions.sortedBy(Sort.ascending("nope"))));
            assertInvalid(() -> db.findOne(ITEMS, all(), Sort.descending("nope")));
        }
    }

    // ---------------------------------------------------------------- projections

    @Nested
    class Projecting {
        private Document alpha(Projection projection) {
            return db.findOne(ITEMS, eq("name", "alpha"), FindOptions.ALL.projection(projection)).orElseThrow();
        }

        @Test
        void anInclusionReturnsThoseFieldsAndTheId() {
            seedCatalog();
            assertThat(alpha(Projection.include("name", "qty", "tags")).asMap())
                    .isEqualTo(Map.of("_id", "i1", "name", "alpha", "qty", 5L, "tags", List.of("a", "b")));
        }

        @Test
        void theIdIsLeftOutOnlyWhenExcluded() {
            seedCatalog();
            assertThat(alpha(Projection.include("name", "price").withoutId()).asMap())
                    .isEqualTo(Map.of("name", "alpha", "price", 2.5));
            assertThat(alpha(Projection.include("_id")).asMap()).isEqualTo(Map.of("_id", "i1"));
            assertThat(alpha(Projection.exclude("_id")).asMap()).doesNotContainKey("_id")
                    .containsEntry("name", "alpha").containsEntry("created_at", T0).hasSize(9);
        }

        @Test
        void anExclusionReturnsEveryOtherField() {
            seedCatalog();
            assertThat(alpha(Projection.exclude("note", "tags", "price")).asMap()).isEqualTo(Map.of("_id", "i1",
                    "name", "alpha", "sku", "A-1", "category", "tools", "qty", 5L, "active", true, "created_at", T0));
        }

        @Test
        void aFieldTheDocumentLacksStaysMissing() {
            seedCatalog();
            Document delta = db.findOne(ITEMS, eq("name", "delta"),
                    FindOptions.ALL.projection(Projection.include("qty", "attrs").withoutId())).orElseThrow();
            assertThat(delta.asMap()).isEmpty();
        }

        @Test
        void aMapInAColumnOfAnotherNameIsProjectedByItsFieldName() {
            insert(item("mapped", "attrs", Map.of("colour", "red", "size", 3L), "qty", 1L));
            Document doc = db.findOne(ITEMS, eq("name", "mapped"), FindOptions.ALL.projection(Projection.include("attrs")))
                    .orElseThrow();
            assertThat(doc.asMap()).containsOnlyKeys("_id", "attrs");
            assertThat(doc.getMap("attrs")).isEqualTo(Map.of("colour", "red", "size", 3L));
        }

        @Test
        void sortAndWindowApplyToFieldsLeftOut() {
            seedCatalog();
            List<Document> docs = db.findMany(ITEMS, exists("qty"), FindOptions.sortedBy(Sort.descending("qty"))
                    .skip(1).limit(2).projection(Projection.include("name").withoutId()));
            assertThat(docs).extracting(Document::asMap)
                    .containsExactly(Map.of("name", "alpha"), Map.of("name", "gamma"));
        }

        @Test
        void findOneWithOptionsTakesTheFirstInOrder() {
            seedCatalog();
            Document last = db.findOne(ITEMS, all(), FindOptions.sortedBy(Sort.descending("name"))
                    .projection(Projection.include("sku"))).orElseThrow();
            assertThat(last.asMap()).isEqualTo(Map.of("_id", "i3"));
        }

        @Test
        void anEmptyProjectionReturnsEveryField() {
            seedCatalog();
            assertThat(alpha(Projection.include()).asMap()).isEqualTo(byId("i1").asMap());
        }

        @Test
        void anUnknownFieldOrAMixOfInclusionAndExclusionIsRefused() {
            seedCatalog();
            assertInvalid(() -> alpha(Projection.include("name", "nope")));
            assertInvalid(() -> alpha(Projection.exclude("nope")));
            // The id's name is _id on every backend, as in MongoDB; "id" (its SQL column) is no field.
            assertInvalid(() -> alpha(Projection.include("id")));
            assertInvalid(() -> alpha(new Projection(orderedMap("name", true, "qty", false))));
            assertInvalid(() -> alpha(new Projection(orderedMap("qty", false, "_id", true, "name", true))));
        }

        @Test
        void aProjectionKeptInAConstantGivesTheSameFieldsEachTimeAndARefusedOneIsRefusedEachTime() {
            seedCatalog();
            Projection kept = Projection.include("name", "qty").withoutId();
            Projection refused = Projection.include("name", "nope");
            for (int i = 0; i < 3; i++) {
                assertThat(alpha(kept).asMap()).isEqualTo(Map.of("name", "alpha", "qty", 5L));
                assertThat(db.findMany(ITEMS, eq("name", "beta"), FindOptions.ALL.projection(kept)))
                        .extracting(Document::asMap).containsExactly(Map.of("name", "beta", "qty", 10L));
                assertInvalid(() -> alpha(refused));
            }
        }

        @Test
        void aTransactionReadsWithTheProjectionToo() {
            Assumptions.assumeTrue(supportsTransactions(), "this backend runs no transactions");
            seedCatalog();
            Document inside = db.executeTransaction(tx -> tx.findOne(ITEMS, eq("name", "beta"),
                    FindOptions.ALL.projection(Projection.include("qty").withoutId())).orElseThrow());
            assertThat(inside.asMap()).isEqualTo(Map.of("qty", 10L));
        }

        private static Map<String, Boolean> orderedMap(Object... namesAndValues) {
            Map<String, Boolean> out = new LinkedHashMap<>();
            for (int i = 0; i < namesAndValues.length; i += 2) {
                out.put((String) namesAndValues[i], (Boolean) namesAndValues[i + 1]);
            }
            return out;
        }
    }

    // ---------------------------------------------------------------- indexes

    @Nested
    class UniqueIndexes {
        @Test
        void aDuplicateInsertIsRefusedAndLeavesNothingBehind() {
            String first = insert(item("first", "sku", "S-1", "qty", 1L));
            assertDuplicate(() -> insert(item("second", "sku", "S-1", "qty", 2L)));
            assertThat(names(all())).containsExactly("first");
            assertThat(byId(first).getLong("qty")).isEqualTo(1L);
        }

        @Test
        void manyDocumentsMayLackTheUniqueField() {
            db.insertMany(ITEMS, List.of(item("a"), item("b"), item("c", "sku", "S")));
            insert(item("d"));
            assertThat(db.count(ITEMS, eq("sku", null))).isEqualTo(3);
        }

        @Test
        void uniqueKeysAreCaseSensitive() {
            insert(item("lower", "sku", "abc"));
            insert(item("upper", "sku", "ABC"));
            assertThat(db.count(ITEMS, all())).isEqualTo(2);
        }

        @Test
        void createIndexAddsAUniqueIndexThatRejectsDuplicates() {
            db.createIndex(ITEMS, IndexSpec.unique("idx_contract_items_note", "note"));
            insert(item("a", "note", "same"));
            assertDuplicate(() -> insert(item("b", "note", "same")));
            insert(item("c", "note", "other"));
            insert(item("d"));
            insert(item("e"));
            assertThat(names(all())).containsExactlyInAnyOrder("a", "c", "d", "e");
        }

        @Test
        void createIndexIsIdempotent() {
            IndexSpec index = IndexSpec.unique("idx_contract_items_note", "note");
            db.createIndex(ITEMS, index);
            db.createIndex(ITEMS, index);
            db.createIndex(ITEMS, ContractFixtures.ITEMS_SPEC.indexes().get(0));
            insert(item("a", "note", "same"));
            assertDuplicate(() -> insert(item("b", "note", "same")));
            assertThat(db.count(ITEMS, all())).isEqualTo(1);
        }

        @Test
        void aCompoundUniqueIndexRefusesOnlyTheSameCombination() {
            db.createIndex(ITEMS, IndexSpec.unique("idx_contract_items_cat_qty_u", "category", "qty"));
            insert(item("a", "category", "tools", "qty", 1L));
            insert(item("b", "category", "toys", "qty", 1L));
            insert(item("c", "category", "tools", "qty", 2L));
            insert(item("d", "category", "tools"));
            insert(item("e", "category", "tools"));
            assertDuplicate(() -> insert(item("f", "category", "tools", "qty", 1L)));
            assertThat(names(all())).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
        }

        @Test
        void createIndexOnAnUnknownCollectionOrFieldIsRefused() {
            assertInvalid(() -> db.createIndex("no_such_collection", IndexSpec.on("idx_x", "name")));
            assertInvalid(() -> db.createIndex(ITEMS, IndexSpec.on("idx_x", "no_such_field")));
        }

        @Test
        void aUniqueIndexOverExistingDuplicatesFailsAndLeavesNoIndex() {
            insert(item("a", "note", "same"));
            insert(item("b", "note", "same"));
            assertThatThrownBy(() -> db.createIndex(ITEMS, IndexSpec.unique("idx_contract_items_note", "note")))
                    .isInstanceOf(DatabaseException.class);
            insert(item("c", "note", "same"));
            assertThat(db.count(ITEMS, eq("note", "same"))).isEqualTo(3);
        }

        @Test
        void aUniqueIndexExceptingEqualFieldsRefusesDuplicatesAmongTheDocumentsWhereTheyDiffer() {
            // Unique (category, note), except where note equals name: the chat schema's idempotency index.
            db.createIndex(ITEMS, IndexSpec.unique("idx_contract_items_cat_note", "category", "note")
                    .exceptWhereEqual("note", "name"));
            insert(item("a", "category", "c", "note", "n"));
            assertDuplicate(() -> insert(item("b", "category", "c", "note", "n")));
            insert(item("c", "category", "d", "note", "n"));
            // Where note equals name, each document's pair is its own (the rule this refinement relies on).
            insert(item("e", "category", "c", "note", "e"));
            insert(item("f", "category", "c", "note", "f"));
            // Breaking that rule shows the difference: SQL backends keep no entry for such documents, MongoDB does.
            boolean mongo = db.backendName().equals("mongodb");
            if (mongo) {
                assertDuplicate(() -> insert(item("e", "category", "c", "note", "e")));
            } else {
                insert(item("e", "category", "c", "note", "e"));
            }
            assertThat(names(and(eq("category", "c"), in("note", List.of("n", "e", "f"))),
                    FindOptions.sortedBy(Sort.ascending("name"))))
                    .containsExactlyElementsOf(mongo ? List.of("a", "e", "f") : List.of("a", "e", "e", "f"));
        }

        @Test
        void anIndexDeclaredForTheOtherKindOfBackendIsNotMade() {
            boolean sql = !db.backendName().equals("mongodb");
            db.createIndex(ITEMS, IndexSpec.unique("idx_contract_items_note_sql", "note").sqlOnly());
            db.createIndex(ITEMS, IndexSpec.unique("idx_contract_items_price_mongo", "price").mongoDbOnly());
            insert(item("a", "note", "same", "price", 1.5));
            if (sql) {
                assertDuplicate(() -> insert(item("b", "note", "same")));
                insert(item("c", "price", 1.5));
            } else {
                insert(item("b", "note", "same"));
                assertDuplicate(() -> insert(item("c", "price", 1.5)));
            }
            assertThat(db.count(ITEMS, all())).isEqualTo(2);
        }

        @Test
        void anIndexExceptingAnUnknownFieldOrItselfIsRefused() {
            assertInvalid(() -> db.createIndex(ITEMS, IndexSpec.unique("idx_x", "note")
                    .exceptWhereEqual("note", "no_such_field")));
            assertInvalid(() -> db.createIndex(ITEMS, IndexSpec.unique("idx_x", "note").exceptWhereEqual("note", "note")));
            assertInvalid(() -> db.createIndex(ITEMS, IndexSpec.unique("idx_x", "note").exceptWhereEqual("name", "note")));
            assertInvalid(() -> db.createIndex(ITEMS, IndexSpec.ttl("idx_x", "created_at", java.time.Duration.ZERO)
                    .exceptWhereEqual("created_at", "note")));
        }

        @Test
        void aNonUniqueCompoundIndexAllowsDuplicates() {
            db.createIndex(ITEMS, IndexSpec.on("idx_contract_items_cat_name", Sort.ascending("category")
                    .then(Sort.descending("name"))));
            insert(item("same", "category", "c"));
            insert(item("same", "category", "c"));
            assertThat(db.count(ITEMS, and(eq("category", "c"), eq("name", "same")))).isEqualTo(2);
        }
    }

    // ---------------------------------------------------------------- transactions

    @Test
    void withoutTransactionsExecuteTransactionSaysSo() {
        if (supportsTransactions()) {
            Assumptions.abort(db.describe() + " runs transactions; nothing to refuse");
        }
        assertThatThrownBy(() -> db.executeTransaction(tx -> tx.insertOne(ITEMS, item("never"))))
                .isInstanceOf(TransactionsNotSupportedException.class);
        assertThat(db.count(ITEMS, all())).isZero();
    }

    @Nested
    class Transactions {
        @BeforeEach
        void requireTransactions() {
            if (!supportsTransactions()) {
                Assumptions.abort(db.describe() + " cannot run multi-document transactions");
            }
        }

        @Test
        void workThatReturnsCommitsEverything() {
            String result = db.executeTransaction(tx -> {
                tx.insertOne(ITEMS, item("one", "_id", "t1"));
                tx.insertMany(ITEMS, List.of(item("two"), item("three")));
                tx.updateOne(ITEMS, eq("_id", "t1"), set("qty", 1L));
                return "done";
            });
            assertThat(result).isEqualTo("done");
            assertThat(names(all())).containsExactlyInAnyOrder("one", "two", "three");
            assertThat(byId("t1").getLong("qty")).isEqualTo(1L);
        }

        @Test
        void writingThroughTheServiceInsteadOfTheTransactionIsRefusedAndTheTransactionRollsBack() {
            Throwable thrown = catchThrowable(() -> db.executeTransaction(tx -> {
                tx.insertOne(ITEMS, item("inside"));
                return db.insertOne(ITEMS, item("outside"));
            }));
            assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("transaction");
            assertThat(db.count(ITEMS, all())).isZero();
        }

        @Test
        void anExceptionRollsBackEveryWriteAndIsRethrownUnchanged() {
            seedCatalog();
            List<Document> before = snapshot();
            RuntimeException boom = new IllegalStateException("boom");
            Throwable thrown = catchThrowable(() -> db.executeTransaction(tx -> {
                tx.insertOne(ITEMS, item("inserted"));
                tx.insertMany(ITEMS, List.of(item("batch-1"), item("batch-2")));
                tx.updateOne(ITEMS, eq("name", "alpha"), set("qty", 500L));
                tx.updateMany(ITEMS, eq("category", "toys"), unset("category"));
                tx.updateOne(ITEMS, eq("name", "upserted"), set("qty", 1L), UpdateOptions.UPSERT);
                tx.deleteOne(ITEMS, eq("name", "beta"));
                tx.deleteMany(ITEMS, eq("name", "delta"));
                throw boom;
            }));
            assertThat(thrown).isSameAs(boom);
            assertThat(snapshot()).isEqualTo(before);
        }

        @Test
        void anErrorRollsBackToo() {
            AssertionError error = new AssertionError("error inside work");
            Throwable thrown = catchThrowable(() -> db.executeTransaction(tx -> {
                tx.insertOne(ITEMS, item("inserted"));
                throw error;
            }));
            assertThat(thrown).isSameAs(error);
            assertThat(db.count(ITEMS, all())).isZero();
        }

        @Test
        void aDatabaseFailureInsideRollsBackEarlierWrites() {
            insert(item("holder", "sku", "TAKEN"));
            Throwable thrown = catchThrowable(() -> db.useTransaction(tx -> {
                tx.insertOne(ITEMS, item("earlier"));
                tx.insertOne(ITEMS, item("clash", "sku", "TAKEN"));
            }));
            assertThat(thrown).isInstanceOf(DuplicateKeyException.class);
            assertThat(names(all())).containsExactly("holder");
        }

        @Test
        void readsInsideTheTransactionSeeItsOwnWrites() {
            seedCatalog();
            record Seen(Optional<Document> inserted, long count, List<String> bigOnes, boolean betaPresent) {
            }
            Seen seen = db.executeTransaction(tx -> {
                String id = tx.insertOne(ITEMS, item("fresh", "qty", 7L));
                tx.updateOne(ITEMS, eq("name", "alpha"), set("qty", 70L));
                tx.deleteOne(ITEMS, eq("name", "beta"));
                return new Seen(tx.findOne(ITEMS, eq("_id", id)), tx.count(ITEMS, all()),
                        namesOf(tx.findMany(ITEMS, gt("qty", 6L))), tx.findOne(ITEMS, eq("name", "beta")).isPresent());
            });
            assertThat(seen.inserted()).map(d -> d.getLong("qty")).contains(7L);
            assertThat(seen.count()).isEqualTo(5);
            assertThat(seen.bigOnes()).containsExactlyInAnyOrder("fresh", "alpha");
            assertThat(seen.betaPresent()).isFalse();
        }

        @Test
        void uncommittedWritesAreInvisibleOutside() throws Exception {
            CountDownLatch written = new CountDownLatch(1);
            CountDownLatch checked = new CountDownLatch(1);
            boolean[] readWhileOpen = {false};
            long seen;
            try (ExecutorService outside = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<Long> outsideCount = outside.submit(() -> {
                    try {
                        written.await();
                        return db.count(ITEMS, all());
                    } finally {
                        checked.countDown();
                    }
                });
                db.useTransaction(tx -> {
                    tx.insertOne(ITEMS, item("pending"));
                    written.countDown();
                    try {
                        readWhileOpen[0] = checked.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                seen = outsideCount.get(30, TimeUnit.SECONDS);
            }
            // A backend may make outside readers wait for the commit; it must never show them the pending write.
            assertThat(seen).as("outside count (read while the transaction was open: %s)", readWhileOpen[0])
                    .isEqualTo(readWhileOpen[0] ? 0L : 1L);
            assertThat(names(all())).containsExactly("pending");
        }

        @Test
        void aTransactionSpansCollections() {
            RuntimeException boom = new RuntimeException("boom");
            Throwable thrown = catchThrowable(() -> db.useTransaction(tx -> {
                tx.insertOne(ITEMS, item("item"));
                tx.insertOne(OrbitSchema.USERS, user("alice"));
                throw boom;
            }));
            assertThat(thrown).isSameAs(boom);
            assertThat(db.count(ITEMS, all())).isZero();
            assertThat(db.count(OrbitSchema.USERS, all())).isZero();

            db.useTransaction(tx -> {
                tx.insertOne(ITEMS, item("item"));
                tx.insertOne(OrbitSchema.USERS, user("alice"));
            });
            assertThat(db.count(ITEMS, all())).isEqualTo(1);
            assertThat(db.count(OrbitSchema.USERS, eq("username", "alice"))).isEqualTo(1);
        }

        @Test
        void useTransactionCommitsAndRollsBack() {
            db.useTransaction(tx -> tx.insertOne(ITEMS, item("kept")));
            RuntimeException boom = new RuntimeException("boom");
            Throwable thrown = catchThrowable(() -> db.useTransaction(tx -> {
                tx.insertOne(ITEMS, item("dropped"));
                throw boom;
            }));
            assertThat(thrown).isSameAs(boom);
            assertThat(names(all())).containsExactly("kept");
        }

        @Test
        void theCollectionHandleOfATransactionWritesInsideIt() {
            RuntimeException boom = new RuntimeException("boom");
            long[] countInside = {-1};
            Throwable thrown = catchThrowable(() -> db.useTransaction(tx -> {
                DocumentCollection items = tx.getCollection(ITEMS);
                items.insertOne(item("via handle"));
                countInside[0] = items.count(all());
                throw boom;
            }));
            assertThat(thrown).isSameAs(boom);
            assertThat(countInside[0]).isEqualTo(1);
            assertThat(db.count(ITEMS, all())).isZero();
        }

        @Test
        void invalidQueriesInsideATransactionAreRefusedAndRollBack() {
            Throwable thrown = catchThrowable(() -> db.useTransaction(tx -> {
                tx.insertOne(ITEMS, item("earlier"));
                tx.findMany(ITEMS, eq("no_such_field", 1L));
            }));
            assertThat(thrown).isInstanceOf(InvalidQueryException.class);
            assertThat(db.count(ITEMS, all())).isZero();
        }

        @Test
        void theDatabaseWorksNormallyAfterARollback() {
            catchThrowable(() -> db.useTransaction(tx -> {
                tx.insertOne(ITEMS, item("dropped", "sku", "S"));
                throw new RuntimeException("boom");
            }));
            String id = insert(item("after", "sku", "S"));
            assertThat(byId(id).getString("sku")).isEqualTo("S");
            db.useTransaction(tx -> tx.updateOne(ITEMS, eq("_id", id), set("qty", 2L)));
            assertThat(byId(id).getLong("qty")).isEqualTo(2L);
        }
    }

    // ---------------------------------------------------------------- concurrency

    @Nested
    class Concurrency {
        @Test
        void sixteenThreadsInsertingAtOnceLoseNothing() throws Exception {
            int threads = 16;
            int perThread = 200;
            List<Callable<List<String>>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long thread = t;
                tasks.add(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        ids.add(insert(item("t" + thread + "-" + i, "qty", thread, "price", (double) i)));
                    }
                    return ids;
                });
            }
            List<String> ids = runConcurrently(tasks).stream().flatMap(List::stream).toList();

            assertThat(ids).hasSize(threads * perThread).doesNotHaveDuplicates();
            assertThat(db.count(ITEMS, all())).isEqualTo(threads * perThread);
            for (long t = 0; t < threads; t++) {
                assertThat(db.count(ITEMS, eq("qty", t))).as("documents of thread %d", t).isEqualTo(perThread);
            }
            assertThat(db.findMany(ITEMS, in("_id", ids))).hasSize(threads * perThread);
        }

        @Test
        void aFailingWriteDoesNotTakeConcurrentWritesDownWithIt() throws Exception {
            List<Callable<int[]>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                long thread = t;
                tasks.add(() -> {
                    int ok = 0;
                    int duplicates = 0;
                    for (int i = 0; i < 100; i++) {
                        Document doc = item("t" + thread + "-" + i, "qty", thread);
                        if (i % 10 == 0) {
                            doc.put("sku", "DUP");
                        }
                        try {
                            insert(doc);
                            ok++;
                        } catch (DuplicateKeyException e) {
                            duplicates++;
                        }
                    }
                    return new int[] {ok, duplicates};
                });
            }
            List<int[]> results = runConcurrently(tasks);
            int ok = results.stream().mapToInt(r -> r[0]).sum();
            int duplicates = results.stream().mapToInt(r -> r[1]).sum();
            assertThat(duplicates).isEqualTo(79);
            assertThat(ok).isEqualTo(721);
            assertThat(db.count(ITEMS, all())).isEqualTo(721);
            assertThat(db.count(ITEMS, eq("sku", "DUP"))).isEqualTo(1);
            for (long t = 0; t < 8; t++) {
                assertThat(db.count(ITEMS, and(eq("qty", t), exists("sku", false)))).as("thread %d", t).isEqualTo(90);
            }
        }

        @Test
        void atomicWorkCommitsOnReturnAndRollsBackOnThrowWithoutTakingConcurrentWritesAlong() throws Exception {
            if (!supportsTransactions()) {
                Assumptions.abort(db.describe() + " cannot run multi-document transactions");
            }
            long counted = db.executeAtomically(tx -> {
                tx.insertOne(ITEMS, item("kept-a"));
                tx.updateOne(ITEMS, eq("name", "kept-b"), set("qty", 1L), UpdateOptions.UPSERT);
                return tx.count(ITEMS, all());
            });
            assertThat(counted).isEqualTo(2);
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                tasks.add(() -> {
                    int committed = 0;
                    for (int i = 0; i < 50; i++) {
                        insert(item("plain-" + writer + "-" + i));
                        String prefix = "rolled-" + writer + "-" + i;
                        try {
                            db.executeAtomically(tx -> {
                                tx.insertOne(ITEMS, item(prefix + "-a"));
                                tx.insertOne(ITEMS, item(prefix + "-b"));
                                throw new IllegalStateException(prefix);
                            });
                        } catch (IllegalStateException expected) {
                            assertThat(expected).hasMessage(prefix);
                        }
                        committed++;
                    }
                    return committed;
                });
            }
            assertThat(runConcurrently(tasks).stream().mapToInt(Integer::intValue).sum()).isEqualTo(200);
            assertThat(db.count(ITEMS, all())).isEqualTo(202);
            assertThat(names(all())).noneMatch(n -> n.startsWith("rolled-"));
        }

        @Test
        void rolledBackTransactionsDoNotTakeConcurrentWritesWithThem() throws Exception {
            if (!supportsTransactions()) {
                Assumptions.abort(db.describe() + " cannot run multi-document transactions");
            }
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                tasks.add(() -> {
                    for (int i = 0; i < 100; i++) {
                        insert(item("plain-" + writer + "-" + i));
                    }
                    return 100;
                });
            }
            for (int x = 0; x < 4; x++) {
                int txThread = x;
                tasks.add(() -> {
                    int committed = 0;
                    for (int i = 0; i < 20; i++) {
                        boolean keep = i % 2 == 0;
                        String prefix = (keep ? "kept-" : "rolled-") + txThread + "-" + i;
                        try {
                            db.useTransaction(tx -> {
                                tx.insertOne(ITEMS, item(prefix + "-a"));
                                tx.insertOne(ITEMS, item(prefix + "-b"));
                                if (!keep) {
                                    throw new IllegalStateException("roll back " + prefix);
                                }
                            });
                            committed += 2;
                        } catch (IllegalStateException expected) {
                            assertThat(expected).hasMessage("roll back " + prefix);
                        }
                    }
                    return committed;
                });
            }
            int written = runConcurrently(tasks).stream().mapToInt(Integer::intValue).sum();
            assertThat(written).isEqualTo(480);
            assertThat(db.count(ITEMS, all())).isEqualTo(480);
            assertThat(names(all())).noneMatch(n -> n.startsWith("rolled-"));
        }

        @Test
        void aWriteIsVisibleToEveryReaderAsSoonAsItReturns() throws Exception {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                tasks.add(() -> {
                    int seen = 0;
                    for (int i = 0; i < 50; i++) {
                        String id = insert(item("v" + thread + "-" + i));
                        seen += db.findOne(ITEMS, eq("_id", id)).isPresent() ? 1 : 0;
                        seen += db.count(ITEMS, eq("name", "v" + thread + "-" + i)) == 1 ? 1 : 0;
                    }
                    return seen;
                });
            }
            assertThat(runConcurrently(tasks)).containsOnly(100);
        }

        @Test
        void concurrentIncrementsAreNotLost() throws Exception {
            String id = insert(item("counter", "qty", 0L));
            List<Callable<Long>> tasks = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                tasks.add(() -> {
                    long matched = 0;
                    for (int i = 0; i < 50; i++) {
                        matched += db.updateOne(ITEMS, eq("_id", id), inc("qty", 1L)).matchedCount();
                    }
                    return matched;
                });
            }
            assertThat(runConcurrently(tasks)).containsOnly(50L);
            assertThat(byId(id).getLong("qty")).isEqualTo(800L);
        }

        @Test
        void readersAlongsideWritersSeeCompleteDocumentsAndGrowingCounts() throws Exception {
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                tasks.add(() -> {
                    for (int i = 0; i < 100; i++) {
                        insert(item("w" + writer + "-" + i, "qty", (long) i, "tags", List.of(writer)));
                    }
                    return true;
                });
            }
            for (int r = 0; r < 4; r++) {
                tasks.add(() -> {
                    long last = 0;
                    for (int i = 0; i < 50; i++) {
                        long count = db.count(ITEMS, all());
                        assertThat(count).isGreaterThanOrEqualTo(last);
                        last = count;
                        for (Document d : db.findMany(ITEMS, all())) {
                            assertThat(d.getString("name")).startsWith("w");
                            assertThat(d.getList("tags")).hasSize(1);
                        }
                    }
                    return true;
                });
            }
            assertThat(runConcurrently(tasks)).containsOnly(true);
            assertThat(db.count(ITEMS, all())).isEqualTo(400);
        }
    }

    // ---------------------------------------------------------------- round trips

    static Stream<Named<String>> strings() {
        return Stream.of("", " ", "plain ascii", "ünïcödé", "中文字符", "emoji 🚀👩‍👩‍👧 done", "a\u0000b", "\u0000",
                "tabs\tnew\nlines\r", "quotes ' \" `", "back\\slash", "\uFEFFbom", "'; DROP TABLE contract_items; --",
                "{\"looks\": \"like json\"}", "$dollar", "2024-01-01T00:00:00Z", "123", "null", "true")
                .map(DatabaseContractTest::named);
    }

    static Stream<Long> longs() {
        return Stream.of(0L, 1L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, 9_007_199_254_740_993L, -9_007_199_254_740_993L,
                Integer.MAX_VALUE + 1L);
    }

    static Stream<Double> doubles() {
        return Stream.of(0.0, 0.1, 1.0, -1.0, 1e300, -1e300, 1e-300, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE,
                123456789.123456789, 9_007_199_254_740_993.0, 2.5e-8);
    }

    static Stream<Instant> instants() {
        return Stream.of(Instant.EPOCH, Instant.parse("1969-12-31T23:59:59.999Z"), Instant.parse("1900-01-01T00:00:00Z"),
                Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("2024-02-29T12:34:56.789Z"),
                Instant.parse("9999-12-31T23:59:59.999Z"), Instant.parse("2038-01-19T03:14:08Z"));
    }

    @Nested
    class RoundTrip {
        private Document stored(String field, Object value) {
            return byId(insert(item("rt", field, value)));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.orbit.db.DatabaseContractTest#strings")
        void stringsComeBackUnchanged(String value) {
            Document doc = stored("note", value);
            assertThat(doc.getString("note")).isEqualTo(value);
            assertThat(names(eq("note", value))).containsExactly("rt");
            // As a nested key too, where the key rules allow it (no '$' prefix, no NUL).
            boolean usableKey = !value.isEmpty() && !value.startsWith("$") && value.indexOf('\0') < 0;
            Map<String, Object> attrs = Map.of("k", value, usableKey ? value : "key", "v");
            Document nested = byId(insert(item("nested", "attrs", attrs, "tags", List.of(value))));
            assertThat(nested.getMap("attrs")).isEqualTo(attrs);
            assertThat(nested.getList("tags")).containsExactly(value);
        }

        @Test
        void aStringWithNulIsNotCutShort() {
            insert(item("a"));
            insert(item("a\u0000b"));
            assertThat(names(eq("name", "a"))).containsExactly("a");
            assertThat(names(eq("name", "a\u0000b"))).containsExactly("a\u0000b");
            assertThat(byName("a\u0000b").getString("name")).hasSize(3);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"\ud800", "x\ud800y", "\udc00", "end\ud83d", "\ude80\ud83d"})
        void textThatIsNotValidUnicodeIsRefusedNotMangled(String broken) {
            // Stored as UTF-8, a lone surrogate would become '?', so "?x" and "\ud800x" would be one value.
            assertInvalid(() -> insert(item(broken)));
            assertInvalid(() -> insert(item("n", "note", broken)));
            assertInvalid(() -> insert(item("n", "attrs", Map.of(broken, "v"))));
            assertInvalid(() -> insert(item("n", "tags", List.of(broken))));
            assertInvalid(() -> db.findMany(ITEMS, eq("name", broken), FindOptions.ALL));
            assertInvalid(() -> db.updateMany(ITEMS, all(), set("note", broken)));
            assertThat(db.count(ITEMS, all())).isZero();
        }

        @Test
        void unicodeKeysOfNestedMapsComeBackUnchanged() {
            Map<String, Object> attrs = Map.of("ключ", "значение", "🔑", "🚀", "中文", 1L, "with space", true,
                    "dotted.key", "d", "quote\"key", "q");
            assertThat(stored("attrs", attrs).getMap("attrs")).isEqualTo(attrs);
        }

        @Test
        void aOneMegabyteStringComesBackUnchanged() {
            StringBuilder big = new StringBuilder(1 << 20);
            while (big.length() < 1 << 20) {
                big.append("0123456789abcdef ünï ");
            }
            String value = big.toString();
            assertThat(stored("note", value).getString("note")).isEqualTo(value);
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.orbit.db.DatabaseContractTest#longs")
        void longsComeBackExactly(Long value) {
            Document doc = stored("qty", value);
            assertThat(doc.getLong("qty")).isEqualTo(value);
            assertThat(names(eq("qty", value))).containsExactly("rt");
            Document nested = byId(insert(item("nested", "attrs", Map.of("n", value), "tags", List.of(value))));
            assertThat(nested.getMap("attrs").get("n")).isEqualTo(value);
            assertThat(nested.getList("tags").get(0)).isEqualTo(value);
        }

        @Test
        void longExtremesCompareCorrectly() {
            db.insertMany(ITEMS, List.of(item("max", "qty", Long.MAX_VALUE), item("min", "qty", Long.MIN_VALUE),
                    item("zero", "qty", 0L)));
            assertThat(names(gt("qty", Long.MAX_VALUE - 1))).containsExactly("max");
            assertThat(names(lt("qty", Long.MIN_VALUE + 1))).containsExactly("min");
            assertThat(names(all(), FindOptions.sortedBy(Sort.ascending("qty")))).containsExactly("min", "zero", "max");
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.orbit.db.DatabaseContractTest#doubles")
        void doublesComeBackExactly(Double value) {
            Document doc = stored("price", value);
            assertThat(doc.getDouble("price")).isEqualTo(value);
            assertThat(names(eq("price", value))).containsExactly("rt");
            Document nested = byId(insert(item("nested", "attrs", Map.of("d", value), "tags", List.of(value))));
            assertThat(nested.getMap("attrs").get("d")).isEqualTo(value);
            assertThat(nested.getList("tags").get(0)).isEqualTo(value);
        }

        @Test
        void negativeZeroComesBackAsAZeroDouble() {
            Double price = stored("price", -0.0).getDouble("price");
            assertThat(price).isNotNull();
            assertThat(price == 0.0).as("%s == 0.0", price).isTrue();
            assertThat(names(eq("price", 0.0))).containsExactly("rt");
        }

        @Test
        void integralDoublesStayDoublesAndLongsStayLongs() {
            Map<String, Object> attrs = Map.of("long", 5L, "double", 5.0, "zero", 0.0, "big", 1e20);
            Document doc = byId(insert(item("rt", "price", 5.0, "qty", 5L, "attrs", attrs, "tags", List.of(5L, 5.0))));
            assertThat(doc.get("price")).isInstanceOf(Double.class).isEqualTo(5.0);
            assertThat(doc.get("qty")).isInstanceOf(Long.class).isEqualTo(5L);
            assertThat(doc.getMap("attrs")).isEqualTo(attrs);
            assertThat(doc.getMap("attrs").get("double")).isInstanceOf(Double.class);
            assertThat(doc.getList("tags")).containsExactly(5L, 5.0);
            assertThat(doc.getList("tags").get(1)).isInstanceOf(Double.class);
        }

        @Test
        void booleansComeBackAsBooleans() {
            Document doc = byId(insert(item("rt", "active", false, "attrs", Map.of("t", true, "f", false),
                    "tags", List.of(true, false))));
            assertThat(doc.get("active")).isInstanceOf(Boolean.class).isEqualTo(false);
            assertThat(doc.getMap("attrs")).isEqualTo(Map.of("t", true, "f", false));
            assertThat(doc.getList("tags")).containsExactly(true, false);
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.orbit.db.DatabaseContractTest#instants")
        void instantsComeBackExactly(Instant value) {
            Document doc = stored("created_at", value);
            assertThat(doc.getInstant("created_at")).isEqualTo(value);
            assertThat(names(eq("created_at", value))).containsExactly("rt");
            Document nested = byId(insert(item("nested", "attrs", Map.of("at", value), "tags", List.of(value))));
            assertThat(nested.getMap("attrs").get("at")).isEqualTo(value);
            assertThat(nested.getList("tags").get(0)).isEqualTo(value);
        }

        @Test
        void instantsAreCutToMilliseconds() {
            Instant precise = Instant.parse("2024-05-01T12:00:00.123456789Z");
            Instant millis = Instant.parse("2024-05-01T12:00:00.123Z");
            String id = insert(item("rt", "created_at", precise, "attrs", Map.of("at", precise),
                    "tags", List.of(precise)));
            Document doc = byId(id);
            assertThat(doc.getInstant("created_at")).isEqualTo(millis);
            assertThat(doc.getMap("attrs").get("at")).isEqualTo(millis);
            assertThat(doc.getList("tags")).containsExactly(millis);
            assertThat(names(eq("created_at", precise))).containsExactly("rt");
            assertThat(names(eq("created_at", millis))).containsExactly("rt");
            assertThat(names(gt("created_at", millis))).isEmpty();
        }

        @Test
        void instantsSortAndCompareAcrossErasAndWithinASecond() {
            List<Instant> ordered = List.of(Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("1900-01-01T00:00:00Z"),
                    Instant.parse("1969-12-31T23:59:59.999Z"), Instant.EPOCH, Instant.parse("1970-01-01T00:00:00.001Z"),
                    Instant.parse("2024-05-01T12:00:00Z"), Instant.parse("2024-05-01T12:00:00.001Z"),
                    Instant.parse("2024-05-01T12:00:00.010Z"), Instant.parse("2024-05-01T12:00:00.100Z"),
                    Instant.parse("2024-05-01T12:00:01Z"), Instant.parse("9999-12-31T23:59:59.999Z"));
            List<Document> shuffled = new ArrayList<>();
            for (int i = 0; i < ordered.size(); i++) {
                shuffled.add(item("t" + i, "created_at", ordered.get(i)));
            }
            Collections.shuffle(shuffled, new Random(42));
            db.insertMany(ITEMS, shuffled);

            List<String> expected = IntStream.range(0, ordered.size()).mapToObj(i -> "t" + i).toList();
            assertThat(names(all(), FindOptions.sortedBy(Sort.ascending("created_at")))).containsExactlyElementsOf(expected);
            assertThat(names(all(), FindOptions.sortedBy(Sort.descending("created_at"))))
                    .containsExactlyElementsOf(expected.reversed());
            assertThat(names(lt("created_at", Instant.EPOCH))).containsExactlyInAnyOrder("t0", "t1", "t2");
            assertThat(names(gte("created_at", Instant.EPOCH))).hasSize(8);
            assertThat(names(and(gte("created_at", Instant.parse("2024-05-01T12:00:00Z")),
                    lt("created_at", Instant.parse("2024-05-01T12:00:00.100Z")))))
                    .containsExactlyInAnyOrder("t5", "t6", "t7");
            assertThat(names(gt("created_at", Instant.parse("2024-05-01T12:00:00.001Z"))))
                    .containsExactlyInAnyOrder("t7", "t8", "t9", "t10");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59.999Z", "0000-06-15T00:00:00Z"})
        void instantsOutsideYearsOneTo9999AreRefused(String text) {
            Instant far = Instant.parse(text);
            assertInvalid(() -> insert(item("far", "created_at", far)));
            assertInvalid(() -> insert(item("far", "attrs", Map.of("at", far))));
            assertInvalid(() -> db.findMany(ITEMS, gt("created_at", far)));
            assertInvalid(() -> db.updateMany(ITEMS, all(), push("tags", far)));
            assertThat(db.count(ITEMS, all())).isZero();
        }

        @Test
        void nestedMapsAndListsComeBackEqual() {
            Map<String, Object> deep = new LinkedHashMap<>();
            deep.put("string", "s");
            deep.put("long", Long.MIN_VALUE);
            deep.put("double", 0.1);
            deep.put("bool", true);
            deep.put("instant", Instant.parse("1969-07-20T20:17:40Z"));
            deep.put("null", null);
            deep.put("emptyMap", Map.of());
            deep.put("emptyList", List.of());
            deep.put("list", Arrays.asList(1L, "two", null, 3.5, false, List.of(List.of()), Map.of("x", "y")));
            deep.put("map", Map.of("inner", Map.of("deeper", List.of(Instant.parse("2000-01-01T00:00:00Z")))));
            deep.put("émoji 🚀", "ключ");
            List<Object> tags = Arrays.asList("a", null, 2L, Map.of("k", List.of(1L)), List.of(), Map.of());

            String id = insert(item("deep", "attrs", deep, "tags", tags));
            Document doc = byId(id);
            assertThat(doc.getMap("attrs")).isEqualTo(deep);
            assertThat(doc.getList("tags")).isEqualTo(tags);
        }

        @Test
        void emptyMapsAndListsStayEmptyNotMissing() {
            Document doc = byId(insert(item("empty", "attrs", Map.of(), "tags", List.of())));
            assertThat(doc.getMap("attrs")).isEmpty();
            assertThat(doc.getList("tags")).isEmpty();
            assertThat(names(exists("attrs"))).containsExactly("empty");
        }

        @Test
        void aWholeDocumentEqualsWhatWasWritten() {
            Document written = Document.of("_id", "whole", "name", "Ünïcode 🚀 name", "sku", "W-1", "category", "c",
                    "note", "line1\nline2\u0000end", "qty", Long.MAX_VALUE, "price", 1e300, "active", true,
                    "created_at", Instant.parse("1950-06-15T08:30:00.250Z"),
                    "attrs", Map.of("nested", Map.of("at", T2, "n", -1L)), "tags", Arrays.asList("t", null, 1.5));
            insert(written);
            assertThat(byId("whole")).isEqualTo(written);
            assertThat(db.findMany(ITEMS, all())).containsExactly(written);
        }
    }

    // ---------------------------------------------------------------- hostile input

    static Stream<Named<String>> hostileCollectionNames() {
        return Stream.of("users; DROP TABLE users", "a\"b", "x y", "users--", "users'", "", "sqlite_master",
                "Contract_Items", "system.users", "contract_items\u0000", "$cmd", "../orbit")
                .map(DatabaseContractTest::named);
    }

    static Stream<Named<String>> hostileFieldNames() {
        return Stream.of("name\"; DROP TABLE contract_items; --", "a'b", "name;", "x y", "$where", "attrs.key",
                "name.first", "", " name", "NAME", "id", "attrs_json", "rowid", "na\u0000me", "`name`", "[name]")
                .map(DatabaseContractTest::named);
    }

    @Nested
    class HostileInput {
        private List<Document> before;

        @BeforeEach
        void seed() {
            seedCatalog();
            db.insertOne(OrbitSchema.USERS, user("admin"));
            before = snapshot();
        }

        private void assertNothingChanged() {
            assertThat(snapshot()).isEqualTo(before);
            assertThat(db.count(OrbitSchema.USERS, all())).isEqualTo(1);
            db.insertOne(OrbitSchema.USERS, user("after"));
            assertThat(db.count(OrbitSchema.USERS, all())).isEqualTo(2);
        }

        @ParameterizedTest(name = "collection {0}")
        @MethodSource("dev.orbit.db.DatabaseContractTest#hostileCollectionNames")
        void hostileCollectionNamesAreRefused(String collection) {
            assertInvalid(() -> db.findOne(collection, all()));
            assertInvalid(() -> db.findMany(collection, all()));
            assertInvalid(() -> db.count(collection, all()));
            assertInvalid(() -> db.insertOne(collection, item("x")));
            assertInvalid(() -> db.insertMany(collection, List.of(item("x"))));
            assertInvalid(() -> db.updateOne(collection, all(), set("name", "x")));
            assertInvalid(() -> db.updateMany(collection, all(), set("name", "x"), UpdateOptions.UPSERT));
            assertInvalid(() -> db.deleteOne(collection, all()));
            assertInvalid(() -> db.deleteMany(collection, all()));
            assertInvalid(() -> db.createIndex(collection, IndexSpec.on("idx_h", "name")));
            assertInvalid(() -> db.getCollection(collection).count(all()));
            assertNothingChanged();
        }

        @Test
        void aNullCollectionNameIsRefused() {
            assertInvalid(() -> db.findMany(null, all()));
            assertInvalid(() -> db.insertOne(null, item("x")));
            assertNothingChanged();
        }

        @ParameterizedTest(name = "field {0}")
        @MethodSource("dev.orbit.db.DatabaseContractTest#hostileFieldNames")
        void hostileFieldNamesAreRefused(String field) {
            assertInvalid(() -> db.findMany(ITEMS, eq(field, "x")));
            assertInvalid(() -> db.findMany(ITEMS, or(eq("name", "alpha"), ne(field, 1L))));
            assertInvalid(() -> db.findMany(ITEMS, exists(field)));
            assertInvalid(() -> db.findMany(ITEMS, in(field, "x")));
            assertInvalid(() -> db.findMany(ITEMS, containsIgnoreCase(field, "x")));
            assertInvalid(() -> db.findMany(ITEMS, all(), FindOptions.sortedBy(Sort.ascending(field))));
            assertInvalid(() -> db.insertOne(ITEMS, item("x").put(field, "x")));
            assertInvalid(() -> db.updateMany(ITEMS, all(), set(field, "x")));
            assertInvalid(() -> db.updateMany(ITEMS, all(), unset(field)));
            assertInvalid(() -> db.updateOne(ITEMS, eq(field, "x"), set("name", "x"), UpdateOptions.UPSERT));
            assertInvalid(() -> db.deleteMany(ITEMS, eq(field, "x")));
            assertInvalid(() -> db.createIndex(ITEMS, IndexSpec.on("idx_hostile", field)));
            assertNothingChanged();
        }

        @Test
        void aNullFieldNameIsRefused() {
            assertInvalid(() -> db.findMany(ITEMS, eq(null, "x")));
            assertInvalid(() -> db.updateMany(ITEMS, all(), set(null, "x")));
            assertNothingChanged();
        }

        @Test
        void hostileIndexNamesAreRefused() {
            assertInvalid(() -> db.createIndex(ITEMS, IndexSpec.on("idx; DROP TABLE contract_items", "name")));
            assertInvalid(() -> db.createIndex(ITEMS, IndexSpec.unique("idx \"x\"", "name")));
            assertNothingChanged();
        }

        @Test
        void nullFiltersUpdatesAndDocumentsAreRefused() {
            assertInvalid(() -> db.findMany(ITEMS, null));
            assertInvalid(() -> db.count(ITEMS, null));
            assertInvalid(() -> db.deleteMany(ITEMS, null));
            assertInvalid(() -> db.updateMany(ITEMS, all(), null));
            assertInvalid(() -> db.insertOne(ITEMS, null));
            assertNothingChanged();
        }

        @Test
        void hostileNestedKeysAreRefused() {
            assertInvalid(() -> db.insertOne(ITEMS, item("x", "attrs", Map.of("$where", "1"))));
            assertInvalid(() -> db.insertOne(ITEMS, item("x", "attrs", Map.of("$date", 0L))));
            assertInvalid(() -> db.insertOne(ITEMS, item("x", "attrs", Map.of("ok", Map.of("$set", 1L)))));
            assertInvalid(() -> db.insertOne(ITEMS, item("x", "tags", List.of(Map.of("$oid", "x")))));
            assertInvalid(() -> db.insertOne(ITEMS, item("x", "attrs", Map.of("nul\u0000key", 1L))));
            assertInvalid(() -> db.insertOne(ITEMS, item("x", "attrs", Map.of(1L, "non-string key"))));
            assertInvalid(() -> db.updateMany(ITEMS, all(), set("attrs", Map.of("$inc", 1L))));
            assertNothingChanged();
        }

        @Test
        void injectionInValuesIsJustData() {
            String id = insert(item("'; DROP TABLE contract_items; --", "note", "\" OR 1=1 --"));
            assertThat(names(eq("note", "\" OR 1=1 --"))).containsExactly("'; DROP TABLE contract_items; --");
            assertThat(names(eq("name", "x' OR '1'='1"))).isEmpty();
            assertThat(byId(id).getString("note")).isEqualTo("\" OR 1=1 --");
            assertThat(db.count(ITEMS, all())).isEqualTo(6);
        }
    }

    static Stream<Arguments> unsupportedValues() {
        return Stream.of(
                Arguments.of("java.util.Date", new java.util.Date()),
                Arguments.of("BigDecimal", BigDecimal.ONE),
                Arguments.of("BigInteger", BigInteger.TEN),
                Arguments.of("UUID", UUID.randomUUID()),
                Arguments.of("byte[]", new byte[] {1, 2}),
                Arguments.of("Character", 'c'),
                Arguments.of("Optional", Optional.of("x")),
                Arguments.of("Object", new Object()),
                Arguments.of("LocalDate", LocalDate.of(2024, 1, 1)),
                Arguments.of("Set", Set.of("a")),
                Arguments.of("Document", Document.of("a", 1L)));
    }

    @Nested
    class UnsupportedValues {
        @BeforeEach
        void seed() {
            seedCatalog();
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.orbit.db.DatabaseContractTest#unsupportedValues")
        void unsupportedValueTypesAreRefusedEverywhere(String label, Object value) {
            assertInvalid(() -> insert(item("x", "note", value)));
            assertInvalid(() -> insert(item("x", "attrs", Map.of("k", value))));
            assertInvalid(() -> insert(item("x", "tags", List.of("ok", value))));
            assertInvalid(() -> db.findMany(ITEMS, eq("note", value)));
            assertInvalid(() -> db.findMany(ITEMS, in("qty", 1L, value)));
            assertInvalid(() -> db.updateMany(ITEMS, all(), set("note", value)));
            assertInvalid(() -> db.updateMany(ITEMS, all(), push("tags", value)));
            assertThat(db.count(ITEMS, all())).isEqualTo(5);
            assertThat(byName("alpha")).isEqualTo(catalog().get(0));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
        void nanAndInfinityAreRefused(double value) {
            assertInvalid(() -> insert(item("x", "price", value)));
            assertInvalid(() -> insert(item("x", "price", (float) value)));
            assertInvalid(() -> insert(item("x", "attrs", Map.of("d", value))));
            assertInvalid(() -> insert(item("x", "tags", List.of(value))));
            assertInvalid(() -> db.findMany(ITEMS, gt("price", value)));
            assertInvalid(() -> db.findMany(ITEMS, eq("price", value)));
            assertInvalid(() -> db.updateMany(ITEMS, all(), inc("price", value)));
            assertInvalid(() -> db.updateMany(ITEMS, all(), set("price", value)));
            assertThat(db.count(ITEMS, all())).isEqualTo(5);
            assertThat(byName("beta").getDouble("price")).isEqualTo(10.0);
        }

        @Test
        void unknownFieldsAndWrongTypesAreRefusedOnInsert() {
            assertInvalid(() -> insert(item("x", "unknown", "v")));
            assertInvalid(() -> insert(item("x", "qty", "5")));
            assertInvalid(() -> insert(item("x", "price", "1.5")));
            assertInvalid(() -> insert(item("x", "active", 1L)));
            assertInvalid(() -> insert(item("x", "created_at", 0L)));
            assertInvalid(() -> insert(item("x", "attrs", List.of())));
            assertInvalid(() -> insert(item("x", "tags", Map.of())));
            assertInvalid(() -> insert(item("x", "_id", 42L)));
            assertInvalid(() -> insert(item("x", "qty", 1.5)));
            assertThat(db.count(ITEMS, all())).isEqualTo(5);
        }
    }

    // ---------------------------------------------------------------- malformed ids

    static Stream<Named<String>> malformedIds() {
        return Stream.of("zzz", "", " ", "000000000000000000000000", "ffffffffffffffffffffffff",
                "65f1a2b3c4d5e6f708192a3b", "x".repeat(10_000), "id\u0000with-nul", "'; DROP TABLE contract_items; --",
                "%", "_", "*", ".*", "i%", "i_", "I1", "i1 ", "{\"$gt\": \"\"}")
                .map(DatabaseContractTest::named);
    }

    @Nested
    class MalformedIds {
        @BeforeEach
        void seed() {
            seedCatalog();
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.orbit.db.DatabaseContractTest#malformedIds")
        void aMalformedOrUnknownIdFindsNothing(String id) {
            assertThat(db.findOne(ITEMS, eq("_id", id))).isEmpty();
            assertThat(db.findMany(ITEMS, in("_id", id, "i2"))).extracting(Document::id).containsExactly("i2");
            assertThat(db.count(ITEMS, eq("_id", id))).isZero();
            assertThat(db.updateOne(ITEMS, eq("_id", id), set("qty", 1L)).matchedCount()).isZero();
            assertThat(db.deleteOne(ITEMS, eq("_id", id))).isFalse();
            assertThat(db.deleteMany(ITEMS, eq("_id", id))).isZero();
            assertThat(db.count(ITEMS, ne("_id", id))).isEqualTo(5);
            assertThat(snapshot()).hasSize(5);
        }
    }

    // ---------------------------------------------------------------- failures are never swallowed

    @Nested
    class Failures {
        private void assertFailsClosed(ThrowingCallable call) {
            assertThatThrownBy(call).isInstanceOf(DatabaseException.class).isNotInstanceOf(InvalidQueryException.class);
        }

        @Test
        void everyOperationFailsAfterClose() {
            seedCatalog();
            db.close();
            assertFailsClosed(() -> db.findOne(ITEMS, all()));
            assertFailsClosed(() -> db.findOne(ITEMS, all(), Sort.ascending("name")));
            assertFailsClosed(() -> db.findMany(ITEMS, all()));
            assertFailsClosed(() -> db.count(ITEMS, all()));
            assertFailsClosed(() -> db.insertOne(ITEMS, item("x")));
            assertFailsClosed(() -> db.insertMany(ITEMS, List.of(item("x"))));
            assertFailsClosed(() -> db.updateOne(ITEMS, all(), set("qty", 1L)));
            assertFailsClosed(() -> db.updateMany(ITEMS, all(), set("qty", 1L)));
            assertFailsClosed(() -> db.deleteOne(ITEMS, all()));
            assertFailsClosed(() -> db.deleteMany(ITEMS, all()));
            assertFailsClosed(() -> db.createIndex(ITEMS, IndexSpec.on("idx_late", "qty")));
            assertFailsClosed(() -> db.getCollection(ITEMS).findOne(all()));
        }

        @Test
        void transactionsFailAfterCloseWithoutRunningTheWork() {
            db.close();
            List<String> ran = new ArrayList<>();
            assertFailsClosed(() -> db.executeTransaction(tx -> ran.add("ran")));
            Consumer<DocumentStore> work = tx -> ran.add("ran");
            assertFailsClosed(() -> db.useTransaction(work));
            assertThat(ran).isEmpty();
        }

        @Test
        void closeIsIdempotentAndTheDatabaseStaysClosed() {
            db.close();
            db.close();
            assertFailsClosed(() -> db.count(ITEMS, all()));
        }
    }

    // ---------------------------------------------------------------- ORBIT's own collections

    @Nested
    class OrbitCollections {
        private Document message(String session, String content, Instant at, String hash) {
            return Document.of("session_id", session, "role", "user", "content", content, "timestamp", at,
                    "message_hash", hash);
        }

        @Test
        void chatHistoryStoresAndReturnsMessagesWithMetadata() {
            Map<String, Object> metadata = Map.of("model", "gpt", "tokens", 12L, "tools", List.of("search"),
                    "at", T1);
            String id = db.insertOne(OrbitSchema.CHAT_HISTORY, message("s1", "hello", T1, "h1")
                    .put("metadata", metadata).put("token_count", 3L).put("user_id", "u1"));
            db.insertOne(OrbitSchema.CHAT_HISTORY, message("s1", "first", T0, "h0"));
            db.insertOne(OrbitSchema.CHAT_HISTORY, message("s2", "other session", T2, "h2"));

            List<Document> history = db.findMany(OrbitSchema.CHAT_HISTORY, eq("session_id", "s1"),
                    FindOptions.sortedBy(Sort.ascending("timestamp")));
            assertThat(history).extracting(d -> d.getString("content")).containsExactly("first", "hello");
            Document hello = history.get(1);
            assertThat(hello.id()).isEqualTo(id);
            assertThat(hello.getMap("metadata")).isEqualTo(metadata);
            assertThat(hello.names()).containsExactlyInAnyOrder("_id", "session_id", "role", "content", "timestamp",
                    "message_hash", "metadata", "token_count", "user_id");
        }

        @Test
        void chatHistoryRefusesTheSameMessageHashTwiceInASession() {
            db.insertOne(OrbitSchema.CHAT_HISTORY, message("s1", "a", T0, "h"));
            db.insertOne(OrbitSchema.CHAT_HISTORY, message("s2", "a", T0, "h"));
            db.insertOne(OrbitSchema.CHAT_HISTORY, message("s1", "no hash", T0, null));
            db.insertOne(OrbitSchema.CHAT_HISTORY, message("s1", "no hash again", T0, null));
            assertThatThrownBy(() -> db.insertOne(OrbitSchema.CHAT_HISTORY, message("s1", "b", T1, "h")))
                    .isInstanceOfSatisfying(DuplicateKeyException.class,
                            e -> assertThat(e.collection()).isEqualTo(OrbitSchema.CHAT_HISTORY));
            assertThat(db.count(OrbitSchema.CHAT_HISTORY, eq("session_id", "s1"))).isEqualTo(3);
        }

        @Test
        void usersHaveUniqueUsernames() {
            db.insertOne(OrbitSchema.USERS, user("alice").put("roles", List.of("admin", "user")));
            assertThatThrownBy(() -> db.insertOne(OrbitSchema.USERS, user("alice")))
                    .isInstanceOf(DuplicateKeyException.class);
            Document alice = db.findOne(OrbitSchema.USERS, eq("roles", "admin")).orElseThrow();
            assertThat(alice.getStringList("roles")).containsExactly("admin", "user");
            assertThat(alice.getBoolean("active")).isTrue();
        }
    }

    // ---------------------------------------------------------------- scanning a whole collection

    @Nested
    class Scanning {
        private final List<List<Document>> batches = new ArrayList<>();

        private long scan(int batchSize) {
            return db.scan(ITEMS, batchSize, batch -> batches.add(List.copyOf(batch)));
        }

        private List<String> scannedIds() {
            return batches.stream().flatMap(List::stream).map(Document::id).toList();
        }

        @Test
        void scanHandsOverEveryDocumentOnceInIdOrderInBatchesOfAtMostTheSize() {
            List<Document> inserted = IntStream.range(0, 10).mapToObj(i -> item("n" + i, "qty", (long) i,
                    "created_at", T0, "attrs", Map.of("i", (long) i), "tags", List.of("t" + i))
                    .put("_id", UUID.randomUUID().toString())).toList();
            db.insertMany(ITEMS, inserted);

            long handed = scan(3);

            assertThat(handed).isEqualTo(10);
            assertThat(batches).extracting(List::size).containsExactly(3, 3, 3, 1);
            assertThat(scannedIds()).isSorted().doesNotHaveDuplicates().hasSize(10);
            assertThat(batches.stream().flatMap(List::stream).toList())
                    .containsExactlyInAnyOrderElementsOf(inserted);
        }

        @Test
        void scanOfAnEmptyCollectionHandsOverNothing() {
            assertThat(scan(5)).isZero();
            assertThat(batches).isEmpty();
        }

        @Test
        void scanReadsObjectIdsAndOtherIdsEachExactlyOnceAndInOrderWithinEachKind() {
            List<String> objectIds = Stream.generate(IdUtils::newObjectIdHex).limit(7).toList();
            List<String> others = List.of(UUID.randomUUID().toString(), "i1", "ZZZ", "0000000000000000000000AB",
                    "A1B2C3D4E5F6A1B2C3D4E5F6", UUID.randomUUID().toString());
            List<Document> docs = new ArrayList<>();
            Stream.concat(objectIds.stream(), others.stream()).forEach(id -> docs.add(item("n-" + id).put("_id", id)));
            Collections.shuffle(docs, new Random(7));
            db.insertMany(ITEMS, docs);

            assertThat(scan(4)).isEqualTo(13);

            List<String> ids = scannedIds();
            assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(
                    Stream.concat(objectIds.stream(), others.stream()).toList());
            assertThat(ids.stream().filter(objectIds::contains).toList()).isSorted();
            assertThat(ids.stream().filter(others::contains).toList()).isSorted();
        }

        @Test
        void aLargeCollectionComesInFullBatchesAndOneRest() {
            List<Document> docs = IntStream.range(0, 1234).mapToObj(i -> item("n" + i)).toList();
            db.insertMany(ITEMS, docs);

            assertThat(scan(500)).isEqualTo(1234);

            assertThat(batches).extracting(List::size).containsExactly(500, 500, 234);
            assertThat(scannedIds()).doesNotHaveDuplicates().hasSize(1234);
        }

        @Test
        void writesMadeDuringTheScanNeverMakeItHandOverADocumentTwice() {
            seedCatalog();
            List<String> ids = new ArrayList<>();
            db.scan(ITEMS, 2, batch -> {
                for (Document doc : batch) {
                    ids.add(doc.id());
                    db.updateOne(ITEMS, eq("_id", doc.id()), set("note", "seen and grown " + "x".repeat(500)));
                }
                db.insertOne(ITEMS, item("added during scan"));
            });
            assertThat(ids).doesNotHaveDuplicates().containsAll(List.of("i1", "i2", "i3", "i4", "i5"));
        }

        @Test
        void anExceptionFromTheConsumerEndsTheScanUnchangedAndTheDatabaseKeepsWorking() {
            seedCatalog();
            IllegalStateException stop = new IllegalStateException("stop here");
            // More failed scans than a pool has connections: each must give its connection or cursor back.
            for (int i = 0; i < 12; i++) {
                List<Document> seen = new ArrayList<>();
                Throwable thrown = catchThrowable(() -> db.scan(ITEMS, 2, batch -> {
                    seen.addAll(batch);
                    throw stop;
                }));
                assertThat(thrown).isSameAs(stop);
                assertThat(seen).hasSize(2);
            }
            insert(item("after"));
            assertThat(scan(10)).isEqualTo(6);
        }

        @Test
        void scanRefusesABatchSizeBelowOneAndAnUnknownCollection() {
            assertInvalid(() -> db.scan(ITEMS, 0, batch -> { }));
            assertInvalid(() -> db.scan("no_such_collection", 10, batch -> { }));
        }
    }

    @Nested
    class ConcurrentCounters {
        /**
         * Usage rollups rely on this: many writers raising one counter by an upsert with $inc on a uniquely indexed
         * key add up exactly. Of two writers inserting the same new document one may get a duplicate (MongoDB);
         * its retry then matches the document and increments it.
         */
        @Test
        void concurrentIncUpsertsOnAUniqueKeyAddUpExactly() throws Exception {
            int threads = 8;
            int each = 40;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < each; i++) {
                            Update update = combine(setOnInsert("name", "counter"), inc("qty", 1L), inc("price", 0.5));
                            try {
                                db.updateOne(ITEMS, eq("sku", "rollup-1"), update, UpdateOptions.UPSERT);
                            } catch (DuplicateKeyException e) {
                                db.updateOne(ITEMS, eq("sku", "rollup-1"), update, UpdateOptions.UPSERT);
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(db.count(ITEMS, eq("sku", "rollup-1"))).isEqualTo(1);
            Document counter = db.findOne(ITEMS, eq("sku", "rollup-1")).orElseThrow();
            assertThat(counter.getLong("qty")).isEqualTo((long) threads * each);
            assertThat(counter.getDouble("price")).isEqualTo(threads * each * 0.5);
        }
    }
}
