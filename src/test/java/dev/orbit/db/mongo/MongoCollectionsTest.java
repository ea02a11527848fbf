package dev.orbit.db.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoDatabase;
import dev.orbit.db.Document;
import dev.orbit.db.Filters;
import dev.orbit.db.OrbitSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ORBIT's collection names map to the server's names configured for them, as in the reference. */
class MongoCollectionsTest {
    @RegisterExtension
    static final MongoTestServer MONGO = new MongoTestServer();

    @Test
    void renamedCollectionsAreUsedForDataAndIndexes() {
        MongoOptions options = MONGO.newDatabase(Map.of(OrbitSchema.USERS, "orbit_users", OrbitSchema.CHAT_HISTORY, "messages"));
        MongoDatabase raw = MONGO.rawDatabase(options.database());
        try (MongoDatabaseService db = new MongoDatabaseService(options, OrbitSchema.SCHEMA)) {
            db.initialize();
            db.insertOne(OrbitSchema.USERS, Document.of("username", "alice", "password", "h", "role", "user",
                    "active", true, "created_at", Instant.EPOCH));
            assertThat(db.count(OrbitSchema.USERS, Filters.all())).isEqualTo(1);
        }
        assertThat(raw.getCollection("orbit_users").countDocuments()).isEqualTo(1);
        assertThat(raw.listCollectionNames().into(new ArrayList<>())).contains("orbit_users", "messages", "sessions")
                .doesNotContain("users", "chat_history");
        assertThat(raw.getCollection("orbit_users").listIndexes().map(i -> i.getString("name")).into(new ArrayList<>()))
                .contains("idx_users_username");
    }

    @Test
    void badMappingsAreRefusedWhenTheServiceIsBuilt() {
        assertThatThrownBy(() -> open(Map.of(OrbitSchema.USERS, "shared", OrbitSchema.SESSIONS, "shared")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("are both mapped to 'shared'");
        assertThatThrownBy(() -> open(Map.of(OrbitSchema.USERS, OrbitSchema.SESSIONS)))
                .hasMessageContaining("are both mapped to 'sessions'");
        assertThatThrownBy(() -> open(Map.of(OrbitSchema.USERS, "system.users"))).hasMessageContaining("invalid");
        assertThatThrownBy(() -> open(Map.of(OrbitSchema.USERS, "us$ers"))).hasMessageContaining("invalid");
        assertThatThrownBy(() -> open(Map.of(OrbitSchema.USERS, " "))).hasMessageContaining("invalid");
    }

    @Test
    void namesForCollectionsOutsideTheSchemaAreNotUsed() {
        assertThat(open(Map.of("not_in_schema", "x", OrbitSchema.USERS, "orbit_users")).describe())
                .isEqualTo("mongodb localhost:27017/orbit");
    }

    private static MongoDatabaseService open(Map<String, String> names) {
        return new MongoDatabaseService(new MongoOptions(null, "localhost", 27017, "orbit", null, null, names,
                Duration.ofSeconds(1)), OrbitSchema.SCHEMA);
    }
}
