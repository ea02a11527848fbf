package dev.orbit.db.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import dev.orbit.db.DatabaseOperationException;
import dev.orbit.db.DuplicateKeyException;
import dev.orbit.db.IndexSpec;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.Sort;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The indexes created on the server: keys, uniqueness that ignores missing fields, TTL. */
class MongoIndexesTest {
    @RegisterExtension
    static final MongoTestServer MONGO = new MongoTestServer();

    private static Map<String, BsonDocument> indexes(MongoDatabase raw, String collection) {
        Map<String, BsonDocument> byName = new HashMap<>();
        raw.getCollection(collection).listIndexes(BsonDocument.class)
                .forEach(index -> byName.put(index.getString("name").getValue(), index));
        return byName;
    }

    @Test
    void initializeCreatesTheSchemaIndexesWithTheirOptions() {
        MongoOptions options = MONGO.newDatabase();
        MongoDatabase raw = MONGO.rawDatabase(options.database());
        try (MongoDatabaseService db = new MongoDatabaseService(options, OrbitSchema.SCHEMA)) {
            db.initialize();
            db.initialize();
        }
        Map<String, BsonDocument> sessions = indexes(raw, "sessions");
        BsonDocument ttl = sessions.get("idx_sessions_expires");
        assertThat(ttl.getDocument("key")).isEqualTo(BsonDocument.parse("{expires: 1}"));
        assertThat(ttl.getNumber("expireAfterSeconds").longValue()).isZero();
        BsonDocument token = sessions.get("idx_sessions_token");
        assertThat(token.getBoolean("unique").getValue()).isTrue();
        assertThat(token.getBoolean("sparse").getValue()).isTrue();

        Map<String, BsonDocument> chat = indexes(raw, "chat_history");
        BsonDocument messageHash = chat.get("idx_chat_history_session_message_hash");
        assertThat(messageHash.getDocument("key")).isEqualTo(BsonDocument.parse("{session_id: 1, message_hash: 1}"));
        assertThat(messageHash.getBoolean("unique").getValue()).isTrue();
        assertThat(messageHash.getDocument("partialFilterExpression")).isEqualTo(
                BsonDocument.parse("{session_id: {$exists: true}, message_hash: {$exists: true}}"));
        assertThat(chat.get("idx_chat_history_session_order").getDocument("key"))
                .isEqualTo(BsonDocument.parse("{session_id: 1, sequence: 1, timestamp: 1, _id: 1}"));
        assertThat(chat.get("idx_chat_history_session_order").containsKey("unique")).isFalse();
        // The place by its key alone here (SQL backends hold a unique (session_id, sequence) instead).
        BsonDocument place = chat.get("idx_chat_history_session_sequence_key");
        assertThat(place.getDocument("key")).isEqualTo(BsonDocument.parse("{sequence_key: 1}"));
        assertThat(place.getBoolean("unique").getValue()).isTrue();
        assertThat(place.getBoolean("sparse").getValue()).isTrue();
        assertThat(chat).doesNotContainKeys(OrbitSchema.CHAT_HISTORY_SPEC.droppedIndexesOn(IndexSpec.Backends.MONGODB)
                .toArray(String[]::new));
        assertThat(chat).doesNotContainKeys("idx_chat_history_session_sequence", "idx_chat_history_session_idempotency");

        BsonDocument byUser = indexes(raw, "chat_sessions").get("idx_chat_sessions_named_user_activity");
        assertThat(byUser.getDocument("key")).isEqualTo(BsonDocument.parse("{user_id: 1, last_activity: 1}"));
        assertThat(byUser.getDocument("partialFilterExpression"))
                .isEqualTo(BsonDocument.parse("{user_id: {$exists: true}}"));
    }

    @Test
    void startingDropsTheRetiredIndexesByNameOnlyKeepsOneThatIsADeclaredOneAndReplacesOneWithOtherOptions() {
        MongoOptions options = MONGO.newDatabase();
        MongoDatabase raw = MONGO.rawDatabase(options.database());
        // What a gateway of the previous version created, and the reference's own index on (user_id, timestamp).
        raw.getCollection("chat_history").createIndex(BsonDocument.parse("{session_id: 1, timestamp: 1}"),
                new IndexOptions().name("idx_chat_history_session_time"));
        raw.getCollection("chat_history").createIndex(BsonDocument.parse("{sequence_key: 1}"),
                new IndexOptions().name("idx_chat_history_sequence_key").unique(true).sparse(true));
        raw.getCollection("chat_history").createIndex(BsonDocument.parse("{user_id: 1, timestamp: -1}"),
                new IndexOptions().name("user_id_1_timestamp_-1"));
        raw.getCollection("chat_sessions").createIndex(BsonDocument.parse("{user_id: 1, last_activity: 1}"),
                new IndexOptions().name("idx_chat_sessions_user_activity"));

        try (MongoDatabaseService db = new MongoDatabaseService(options, OrbitSchema.SCHEMA)) {
            db.initialize();
        }

        Map<String, BsonDocument> chat = indexes(raw, "chat_history");
        // The old unique index on sequence_key is the declared one under its old name: kept, never missing.
        assertThat(chat).doesNotContainKeys("idx_chat_history_session_time")
                .containsKeys("user_id_1_timestamp_-1", "idx_chat_history_sequence_key");
        Map<String, BsonDocument> sessions = indexes(raw, "chat_sessions");
        assertThat(sessions).doesNotContainKey("idx_chat_sessions_user_activity");
        assertThat(sessions.get("idx_chat_sessions_named_user_activity").getDocument("partialFilterExpression"))
                .isEqualTo(BsonDocument.parse("{user_id: {$exists: true}}"));
    }

    @Test
    void createIndexKeepsDirectionsAndTtlDurations() {
        MongoOptions options = MONGO.newDatabase();
        MongoDatabase raw = MONGO.rawDatabase(options.database());
        try (MongoDatabaseService db = new MongoDatabaseService(options, OrbitSchema.SCHEMA)) {
            db.initialize();
            db.createIndex(OrbitSchema.CHAT_HISTORY, IndexSpec.on("idx_test_recent",
                    Sort.ascending("session_id").then(Sort.descending("timestamp"))));
            db.createIndex(OrbitSchema.USERS, IndexSpec.ttl("idx_test_login_ttl", "last_login", Duration.ofHours(2)));
            db.createIndex(OrbitSchema.USERS, IndexSpec.ttl("idx_test_login_ttl", "last_login", Duration.ofHours(2)));
        }
        assertThat(indexes(raw, "chat_history").get("idx_test_recent").getDocument("key"))
                .isEqualTo(BsonDocument.parse("{session_id: 1, timestamp: -1}"));
        assertThat(indexes(raw, "users").get("idx_test_login_ttl").getNumber("expireAfterSeconds").longValue())
                .isEqualTo(7200);
    }

    @Test
    void anEquivalentIndexTheReferenceCreatedIsAccepted() {
        MongoOptions options = MONGO.newDatabase();
        MongoDatabase raw = MONGO.rawDatabase(options.database());
        raw.getCollection("sessions").createIndex(BsonDocument.parse("{token: 1}"), new IndexOptions().unique(true));
        raw.getCollection("sessions").createIndex(BsonDocument.parse("{expires: 1}"),
                new IndexOptions().expireAfter(0L, java.util.concurrent.TimeUnit.SECONDS));
        try (MongoDatabaseService db = new MongoDatabaseService(options, OrbitSchema.SCHEMA)) {
            db.initialize();
            dev.orbit.db.Document session = dev.orbit.db.Document.of("token", "t", "user_id", "u", "username", "n",
                    "expires", Instant.now().plusSeconds(60), "created_at", Instant.now());
            db.insertOne(OrbitSchema.SESSIONS, session);
            assertThatThrownBy(() -> db.insertOne(OrbitSchema.SESSIONS, session.copy()))
                    .isInstanceOf(DuplicateKeyException.class);
        }
    }

    @Test
    void anIndexThatContradictsTheSchemaFailsNamingIt() {
        Assumptions.assumeFalse(MongoTestServer.inProcess(),
                "mongo-java-server accepts a second index on the same keys instead of reporting the conflict");
        MongoOptions options = MONGO.newDatabase();
        MongoDatabase raw = MONGO.rawDatabase(options.database());
        raw.getCollection("sessions").createIndex(BsonDocument.parse("{token: 1}"), new IndexOptions().name("token_plain"));
        try (MongoDatabaseService db = new MongoDatabaseService(options, OrbitSchema.SCHEMA)) {
            assertThatThrownBy(db::initialize).isInstanceOf(DatabaseOperationException.class)
                    .hasMessageContaining("idx_sessions_token").hasMessageContaining("token_plain");
        }
    }
}
