package dev.orbit.db.mongo;

import static dev.orbit.db.Filters.and;
import static dev.orbit.db.Filters.containsIgnoreCase;
import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.Filters.exists;
import static dev.orbit.db.Filters.in;
import static dev.orbit.db.Filters.ne;
import static dev.orbit.db.Filters.nin;
import static dev.orbit.db.Filters.not;
import static dev.orbit.db.Filters.or;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.Document;
import dev.orbit.db.FieldType;
import dev.orbit.db.Filter;
import dev.orbit.db.Schema;
import dev.orbit.db.Updates;
import dev.orbit.db.Validator;
import java.util.Arrays;
import java.util.List;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The query documents the translator writes, and the cases where it departs from MongoDB's defaults. */
class MongoTranslatorTest {
    @RegisterExtension
    static final MongoTestServer MONGO = new MongoTestServer();

    private static final CollectionSpec THINGS = CollectionSpec.builder("things")
            .required("name", FieldType.STRING)
            .optional("note", FieldType.STRING)
            .optional("tags", FieldType.LIST)
            .optional("n", FieldType.LONG)
            .build();

    private MongoDatabaseService db;

    @BeforeEach
    void open() {
        db = new MongoDatabaseService(MONGO.newDatabase(), Schema.of(THINGS));
        db.initialize();
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static BsonDocument bson(Filter filter) {
        return MongoTranslator.filter(THINGS, Validator.filter(THINGS, filter));
    }

    private List<String> names(Filter filter) {
        return db.findMany("things", filter).stream().map(d -> d.getString("name")).toList();
    }

    @Test
    void operatorsAreMongoDbsOwn() {
        assertThat(bson(and(eq("note", "a"), ne("n", 1L)))).isEqualTo(BsonDocument.parse(
                "{$and: [{note: {$eq: 'a'}}, {n: {$ne: {$numberLong: '1'}}}]}"));
        assertThat(bson(not(eq("note", "a")))).isEqualTo(BsonDocument.parse("{$nor: [{note: {$eq: 'a'}}]}"));
        assertThat(bson(eq("note", null))).isEqualTo(BsonDocument.parse("{note: null}"));
        assertThat(bson(exists("note"))).isEqualTo(BsonDocument.parse("{note: {$ne: null}}"));
        assertThat(bson(or())).isEqualTo(BsonDocument.parse("{_id: {$in: []}}"));
        assertThat(bson(and())).isEqualTo(new BsonDocument());
    }

    @Test
    void anObjectIdShapedIdMatchesBothStoredForms() {
        assertThat(bson(eq("_id", "65f1a2b3c4d5e6f708192a3b"))).isEqualTo(BsonDocument.parse(
                "{_id: {$in: [{$oid: '65f1a2b3c4d5e6f708192a3b'}, '65f1a2b3c4d5e6f708192a3b']}}"));
        assertThat(bson(nin("_id", "x", "65f1a2b3c4d5e6f708192a3b"))).isEqualTo(BsonDocument.parse(
                "{$nor: [{_id: {$in: ['x', {$oid: '65f1a2b3c4d5e6f708192a3b'}, '65f1a2b3c4d5e6f708192a3b']}}]}"));
    }

    @Test
    void containsIgnoreCaseIsALiteralPattern() {
        assertThat(MongoTranslator.literalPattern("a.b*c\\d(e)[f]$ ")).isEqualTo("a\\.b\\*c\\\\d\\(e\\)\\[f\\]\\$\\ ");
        assertThat(MongoTranslator.literalPattern("x\\Ey\u0000\t")).isEqualTo("x\\\\Ey\\x{0}\\x{9}");
        assertThat(MongoTranslator.literalPattern("école 🚀")).isEqualTo("école\\ 🚀");
        db.insertMany("things", List.of(Document.of("name", "quote", "note", "ends \\Q and \\E here"),
                Document.of("name", "nul", "note", "a\u0000b"), Document.of("name", "tab", "note", "a\tb")));
        assertThat(names(containsIgnoreCase("note", "\\e HERE"))).containsExactly("quote");
        assertThat(names(containsIgnoreCase("note", "\u0000"))).containsExactly("nul");
        assertThat(names(containsIgnoreCase("note", "A\tB"))).containsExactly("tab");
    }

    @Test
    void aListHoldingANullIsPresentNotNull() {
        db.insertMany("things", List.of(Document.of("name", "with null", "tags", Arrays.asList("a", null)),
                Document.of("name", "empty", "tags", List.of()), Document.of("name", "none")));
        assertThat(names(exists("tags"))).containsExactlyInAnyOrder("with null", "empty");
        assertThat(names(exists("tags", false))).containsExactly("none");
        assertThat(names(eq("tags", null))).containsExactly("none");
        assertThat(names(ne("tags", null))).containsExactlyInAnyOrder("with null", "empty");
        assertThat(names(in("tags", Arrays.asList(null, "zzz")))).containsExactly("none");
        assertThat(names(nin("tags", Arrays.asList((Object) null)))).containsExactlyInAnyOrder("with null", "empty");
        assertThat(names(eq("tags", "a"))).containsExactly("with null");
    }

    @Test
    void updatesGroupOperationsByOperator() {
        BsonDocument update = MongoTranslator.update(Validator.update(THINGS, Updates.combine(Updates.set("note", "x"),
                Updates.unset("tags"), Updates.inc("n", 2), Updates.setOnInsert("name", "new"))));
        assertThat(update).isEqualTo(BsonDocument.parse("{$set: {note: 'x'}, $unset: {tags: ''},"
                + " $inc: {n: {$numberLong: '2'}}, $setOnInsert: {name: 'new'}}"));
    }
}
