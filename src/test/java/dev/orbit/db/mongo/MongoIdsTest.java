package dev.orbit.db.mongo;

import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.Filters.in;
import static dev.orbit.db.Filters.nin;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoCollection;
import dev.orbit.db.Document;
import dev.orbit.db.IdUtils;
import dev.orbit.db.OrbitSchema;
import java.time.Instant;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonType;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Ids: ObjectIds for new documents, string ids from SQLite kept as strings, and both found alike. */
class MongoIdsTest {
    @RegisterExtension
    static final MongoTestServer MONGO = new MongoTestServer();

    private static final String UUID_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

    private MongoDatabaseService db;
    private MongoCollection<BsonDocument> rawUsers;

    @BeforeEach
    void open() {
        MongoOptions options = MONGO.newDatabase();
        rawUsers = MONGO.rawDatabase(options.database()).getCollection("users", BsonDocument.class);
        db = new MongoDatabaseService(options, OrbitSchema.SCHEMA);
        db.initialize();
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static Document user(String username) {
        return Document.of("username", username, "password", "h", "role", "user", "active", true,
                "created_at", Instant.EPOCH);
    }

    private BsonType storedIdType(String username) {
        return rawUsers.find(new BsonDocument("username", new BsonString(username))).first().get("_id").getBsonType();
    }

    @Test
    void newDocumentsGetObjectIdsReturnedAsHex() {
        String id = db.insertOne(OrbitSchema.USERS, user("new"));
        assertThat(IdUtils.isObjectIdHex(id)).isTrue();
        assertThat(storedIdType("new")).isEqualTo(BsonType.OBJECT_ID);
        assertThat(db.findOne(OrbitSchema.USERS, eq("_id", id)).orElseThrow().id()).isEqualTo(id);
    }

    @Test
    void idsFromSqliteStayStringsAndWorkEverywhere() {
        db.insertOne(OrbitSchema.USERS, user("migrated").put("_id", UUID_ID));
        assertThat(storedIdType("migrated")).isEqualTo(BsonType.STRING);
        assertThat(db.findOne(OrbitSchema.USERS, eq("_id", UUID_ID)).orElseThrow().getString("username"))
                .isEqualTo("migrated");
        assertThat(db.updateOne(OrbitSchema.USERS, eq("_id", UUID_ID), dev.orbit.db.Updates.set("role", "admin"))
                .matchedCount()).isEqualTo(1);
        assertThat(db.deleteOne(OrbitSchema.USERS, eq("_id", UUID_ID))).isTrue();
    }

    @Test
    void aGivenIdComesBackExactlyAsGiven() {
        String lower = new ObjectId().toHexString();
        String upper = new ObjectId().toHexString().toUpperCase();
        db.insertOne(OrbitSchema.USERS, user("lower").put("_id", lower));
        db.insertOne(OrbitSchema.USERS, user("upper").put("_id", upper));
        assertThat(storedIdType("lower")).isEqualTo(BsonType.OBJECT_ID);
        // An ObjectId reads back in lower case, so an upper-case id is kept as the string it was.
        assertThat(storedIdType("upper")).isEqualTo(BsonType.STRING);
        assertThat(db.findOne(OrbitSchema.USERS, eq("_id", upper)).orElseThrow().id()).isEqualTo(upper);
        assertThat(db.findOne(OrbitSchema.USERS, eq("_id", lower)).orElseThrow().id()).isEqualTo(lower);
    }

    @Test
    void inAndNinOverMixedIdsMatchEveryStoredForm() {
        ObjectId native1 = new ObjectId();
        String hexAsString = new ObjectId().toHexString();
        rawUsers.insertOne(new BsonDocument("_id", new BsonObjectId(native1)).append("username", new BsonString("native")));
        rawUsers.insertOne(new BsonDocument("_id", new BsonString(hexAsString)).append("username", new BsonString("hex")));
        db.insertOne(OrbitSchema.USERS, user("uuid").put("_id", UUID_ID));
        String generated = db.insertOne(OrbitSchema.USERS, user("generated"));

        List<String> wanted = List.of(native1.toHexString(), hexAsString, UUID_ID, "no-such-id", new ObjectId().toHexString());
        assertThat(db.findMany(OrbitSchema.USERS, in("_id", wanted))).extracting(d -> d.getString("username"))
                .containsExactlyInAnyOrder("native", "hex", "uuid");
        assertThat(db.findMany(OrbitSchema.USERS, nin("_id", wanted))).extracting(d -> d.getString("username"))
                .containsExactly("generated");
        assertThat(db.findOne(OrbitSchema.USERS, eq("_id", hexAsString)).orElseThrow().id()).isEqualTo(hexAsString);
        assertThat(db.findOne(OrbitSchema.USERS, eq("_id", generated))).isPresent();
    }
}
