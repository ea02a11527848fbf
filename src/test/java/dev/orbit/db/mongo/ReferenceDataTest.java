package dev.orbit.db.mongo;

import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.Filters.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoDatabase;
import dev.orbit.db.DatabaseOperationException;
import dev.orbit.db.Document;
import dev.orbit.db.FindOptions;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.Sort;
import dev.orbit.db.Updates;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonType;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A database as the reference ORBIT writes it (ObjectId ids, BSON dates, int32 numbers, explicit nulls,
 * fields ORBIT does not declare), written with the plain driver, opens and works through the service.
 */
class ReferenceDataTest {
    @RegisterExtension
    static final MongoTestServer MONGO = new MongoTestServer();

    private static final ObjectId ALICE = new ObjectId("65f1a2b3c4d5e6f708192a3b");
    private static final ObjectId KEY = new ObjectId("65f1a2b3c4d5e6f708192a3c");
    private static final Instant CREATED = Instant.parse("2025-03-01T10:15:30.123Z");

    private MongoDatabase raw;
    private MongoDatabaseService db;

    @BeforeEach
    void writeReferenceData() {
        MongoOptions options = MONGO.newDatabase();
        raw = MONGO.rawDatabase(options.database());
        raw.getCollection("users").insertOne(new org.bson.Document("_id", ALICE).append("username", "alice")
                .append("password", "c2FsdHNhbHRzYWx0c2FsdGtleWtleWtleWtleQ==").append("role", "admin")
                .append("roles", List.of("admin", "user")).append("active", true)
                .append("created_at", java.util.Date.from(CREATED)).append("last_login", null)
                .append("email", "alice@example.com").append("legacy_flag", "not declared by ORBIT"));
        raw.getCollection("api_keys").insertOne(new org.bson.Document("_id", KEY).append("api_key", "orbit_plaintextkey")
                .append("client_name", "ops").append("notes", null).append("active", true)
                .append("created_at", java.util.Date.from(CREATED)).append("adapter_name", "qa")
                .append("system_prompt_id", ALICE.toHexString()).append("quota_daily_limit", 1000)
                .append("quota_throttle_enabled", false).append("quota_throttle_priority", 5)
                .append("allowed_user_ids", List.of()).append("allowed_emails", List.of("a@example.com")));
        raw.getCollection("chat_history").insertMany(List.of(
                new org.bson.Document("_id", new ObjectId()).append("session_id", "s1").append("role", "user")
                        .append("content", "hi").append("timestamp", java.util.Date.from(CREATED))
                        .append("user_id", ALICE.toHexString()).append("api_key", "...intext")
                        .append("metadata", new org.bson.Document("model", "m").append("tokens", 12)
                                .append("nested", new org.bson.Document("n", 1).append("at", java.util.Date.from(CREATED))))
                        .append("message_hash", "h1").append("token_count", 3),
                new org.bson.Document("_id", new ObjectId()).append("session_id", "s1").append("role", "assistant")
                        .append("content", "hello").append("timestamp", java.util.Date.from(CREATED.plusSeconds(1)))
                        .append("message_hash", "h2").append("token_count", new Decimal128(42))));
        db = new MongoDatabaseService(options, OrbitSchema.SCHEMA);
        db.initialize();
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aReferenceUserReadsBackInOrbitTypes() {
        Document alice = db.findOne(OrbitSchema.USERS, eq("username", "alice")).orElseThrow();
        assertThat(alice.id()).isEqualTo(ALICE.toHexString());
        assertThat(alice.getInstant("created_at")).isEqualTo(CREATED);
        assertThat(alice.getBoolean("active")).isTrue();
        assertThat(alice.getStringList("roles")).containsExactly("admin", "user");
        // The explicit null and the undeclared field are not part of ORBIT's document.
        assertThat(alice.names()).containsExactlyInAnyOrder("_id", "username", "password", "role", "roles", "active",
                "created_at", "email");
    }

    @Test
    void objectIdsAreFoundByTheirHexString() {
        assertThat(db.findOne(OrbitSchema.USERS, eq("_id", ALICE.toHexString()))).isPresent();
        assertThat(db.findOne(OrbitSchema.USERS, eq("_id", ALICE.toHexString().toUpperCase()))).isPresent();
        assertThat(db.findMany(OrbitSchema.API_KEYS, in("_id", KEY.toHexString(), "nope", new ObjectId().toHexString())))
                .extracting(Document::id).containsExactly(KEY.toHexString());
    }

    @Test
    void int32NumbersReadAsLongsAndCanBeIncremented() {
        Document key = db.findOne(OrbitSchema.API_KEYS, eq("api_key", "orbit_plaintextkey")).orElseThrow();
        assertThat(key.get("quota_daily_limit")).isEqualTo(1000L);
        assertThat(key.get("quota_throttle_priority")).isEqualTo(5L);
        assertThat(db.count(OrbitSchema.API_KEYS, eq("quota_daily_limit", 1000L))).isEqualTo(1);

        db.updateOne(OrbitSchema.API_KEYS, eq("_id", KEY.toHexString()), Updates.inc("quota_daily_limit", 1L));
        assertThat(db.findOne(OrbitSchema.API_KEYS, eq("_id", KEY.toHexString())).orElseThrow()
                .get("quota_daily_limit")).isEqualTo(1001L);
    }

    @Test
    void chatHistoryWithNestedInt32AndDecimal128ReadsInOrder() {
        List<Document> history = db.findMany(OrbitSchema.CHAT_HISTORY, eq("session_id", "s1"),
                FindOptions.sortedBy(Sort.ascending("timestamp")));
        assertThat(history).extracting(d -> d.getString("content")).containsExactly("hi", "hello");
        assertThat(history.get(0).getMap("metadata")).isEqualTo(Map.of("model", "m", "tokens", 12L,
                "nested", Map.of("n", 1L, "at", CREATED)));
        assertThat(history.get(0).get("token_count")).isEqualTo(3L);
        assertThat(history.get(1).get("token_count")).isEqualTo(42L);
    }

    @Test
    void writesThroughTheServiceKeepTheReferenceStorageTypes() {
        Instant login = Instant.parse("2026-01-02T03:04:05.678Z");
        db.updateOne(OrbitSchema.USERS, eq("username", "alice"), Updates.set("last_login", login));
        String id = db.insertOne(OrbitSchema.SYSTEM_PROMPTS, Document.of("name", "default", "prompt", "Be brief.",
                "version", "1", "created_at", login, "updated_at", login));

        BsonDocument user = raw.getCollection("users", BsonDocument.class).find(new BsonDocument()).first();
        assertThat(user.get("_id").getBsonType()).isEqualTo(BsonType.OBJECT_ID);
        assertThat(user.get("last_login").asDateTime().getValue()).isEqualTo(login.toEpochMilli());
        assertThat(user.getString("legacy_flag").getValue()).isEqualTo("not declared by ORBIT");
        BsonDocument prompt = raw.getCollection("system_prompts", BsonDocument.class).find(new BsonDocument()).first();
        assertThat(prompt.get("_id").asObjectId().getValue().toHexString()).isEqualTo(id);
        assertThat(prompt.get("created_at").getBsonType()).isEqualTo(BsonType.DATE_TIME);
    }

    @Test
    void aValueOfAnUnreadableTypeFailsNamingTheFieldButNotTheValue() {
        raw.getCollection("users", BsonDocument.class).insertOne(new BsonDocument("_id", new org.bson.BsonObjectId())
                .append("username", new org.bson.BsonString("bob"))
                .append("password", new BsonBinary("secret-bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertThatThrownBy(() -> db.findOne(OrbitSchema.USERS, eq("username", "bob")))
                .isInstanceOf(DatabaseOperationException.class)
                .hasMessageContaining("users.password").hasMessageContaining("binary")
                .hasMessageNotContaining("secret-bytes");
    }

    @Test
    void aValueOfTheWrongTypeForItsFieldFailsClearly() {
        raw.getCollection("users", BsonDocument.class).insertOne(new BsonDocument("_id", new org.bson.BsonObjectId())
                .append("username", new org.bson.BsonString("carol")).append("active", new BsonInt32(1)));
        assertThatThrownBy(() -> db.findOne(OrbitSchema.USERS, eq("username", "carol")))
                .isInstanceOf(DatabaseOperationException.class)
                .hasMessageContaining("users.active").hasMessageContaining("declared boolean");
    }
}
