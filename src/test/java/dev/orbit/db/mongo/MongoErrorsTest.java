package dev.orbit.db.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoInterruptedException;
import com.mongodb.MongoSocketOpenException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteException;
import com.mongodb.ServerAddress;
import com.mongodb.WriteError;
import dev.orbit.db.DatabaseConnectionException;
import dev.orbit.db.DatabaseException;
import dev.orbit.db.DatabaseOperationException;
import dev.orbit.db.DatabaseTimeoutException;
import dev.orbit.db.Document;
import dev.orbit.db.DuplicateKeyException;
import dev.orbit.db.OrbitSchema;
import java.time.Instant;
import java.util.List;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Driver failures become the persistence layer's exceptions, with context and without secrets. */
class MongoErrorsTest {
    @RegisterExtension
    static final MongoTestServer MONGO = new MongoTestServer();

    private static final ServerAddress SERVER = new ServerAddress("db.example", 27017);

    @Test
    void aDuplicateApiKeyNamesTheIndexButNeverTheKey() {
        try (MongoDatabaseService db = new MongoDatabaseService(MONGO.newDatabase(), OrbitSchema.SCHEMA)) {
            db.initialize();
            Document key = Document.of("api_key", "orbit_TOPSECRET123", "client_name", "c", "active", true,
                    "created_at", Instant.EPOCH);
            db.insertOne(OrbitSchema.API_KEYS, key);
            Throwable failure = catchThrowable(() -> db.insertOne(OrbitSchema.API_KEYS, key.copy()));

            assertThat(failure).isInstanceOfSatisfying(DuplicateKeyException.class,
                    e -> assertThat(e.collection()).isEqualTo(OrbitSchema.API_KEYS));
            assertThat(failure).hasMessage("api_keys: duplicate key: index idx_api_keys_api_key");
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain("TOPSECRET");
            }
        }
    }

    @Test
    void duplicateKeysAreRecognisedInEveryShape() {
        WriteError error = new WriteError(11000, "E11000 duplicate key error collection: orbit.users index: "
                + "idx_users_username dup key: { username: \"alice\" }", new BsonDocument());
        DatabaseException translated = MongoErrors.translate(new MongoWriteException(error, SERVER, List.of()),
                "insert", "users");
        assertThat(translated).isInstanceOf(DuplicateKeyException.class)
                .hasMessage("users: duplicate key: index idx_users_username");
        DatabaseException fromCommand = MongoErrors.translate(new MongoCommandException(BsonDocument.parse(
                "{ok: 0, code: 11000, errmsg: 'E11000 duplicate key error'}"), SERVER), "createIndex", "users");
        assertThat(fromCommand).isInstanceOf(DuplicateKeyException.class).hasMessageEndingWith("a unique index");
    }

    @Test
    void aWriteConflictInATransactionIsRecognisedAsTransientThroughTheTranslation() {
        MongoCommandException conflict = new MongoCommandException(BsonDocument.parse(
                "{ok: 0, code: 112, codeName: 'WriteConflict', errmsg: 'Write conflict during plan execution',"
                        + " errorLabels: ['TransientTransactionError']}"), SERVER);
        MongoCommandException badValue = new MongoCommandException(BsonDocument.parse(
                "{ok: 0, code: 2, codeName: 'BadValue', errmsg: 'bad'}"), SERVER);

        assertThat(MongoErrors.isTransientTransactionError(MongoErrors.translate(conflict, "insert", "chat_history")))
                .isTrue();
        assertThat(MongoErrors.isTransientTransactionError(MongoErrors.translate(badValue, "insert", "chat_history")))
                .isFalse();
        assertThat(MongoErrors.isTransientTransactionError(new IllegalStateException("no cause"))).isFalse();
    }

    @Test
    void timeoutsConnectionFailuresAndOtherErrorsAreTold() {
        assertThat(MongoErrors.translate(new MongoTimeoutException("timed out selecting"), "find", "users"))
                .isInstanceOf(DatabaseTimeoutException.class).hasMessage("mongodb find on users: timed out selecting");
        assertThat(MongoErrors.translate(new MongoExecutionTimeoutException(50, "operation exceeded time limit"),
                "count", "chat_history")).isInstanceOf(DatabaseTimeoutException.class);
        assertThat(MongoErrors.translate(new MongoSocketOpenException("Exception opening socket", SERVER), "insert",
                "sessions")).isInstanceOf(DatabaseConnectionException.class).hasMessageContaining("mongodb insert on sessions");
        DatabaseException other = MongoErrors.translate(new MongoCommandException(BsonDocument.parse(
                "{ok: 0, code: 2, codeName: 'BadValue', errmsg: 'Failed to apply $inc\\noperations'}"), SERVER),
                "update", "api_keys");
        assertThat(other).isExactlyInstanceOf(DatabaseOperationException.class)
                .hasMessageStartingWith("mongodb update on api_keys failed: ").hasMessageNotContaining("\n");
        assertThat(MongoErrors.translate(new IllegalStateException("state should be: open"), "find", "users"))
                .isExactlyInstanceOf(DatabaseException.class).hasMessageContaining("client is closed");
    }

    @Test
    void anInterruptKeepsTheThreadInterrupted() {
        DatabaseException translated = MongoErrors.translate(new MongoInterruptedException("interrupted", null),
                "find", "users");
        assertThat(Thread.interrupted()).isTrue();
        assertThat(translated).hasMessageContaining("interrupted");
    }
}
