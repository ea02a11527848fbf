package dev.orbit.admin;

import static dev.orbit.admin.AdminTests.mongoUrl;
import static dev.orbit.admin.AdminTests.orbit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.config.ConfigLoader;
import dev.orbit.config.OrbitConfig;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.DatabaseServiceFactory;
import dev.orbit.db.Document;
import dev.orbit.db.Filters;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.mongo.MongoTestServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A MongoDB URI naming a database means that database both to {@code orbit db} and to the gateway's configuration. */
class MongoUriDatabaseTest {
    @RegisterExtension
    static final MongoTestServer MONGO = new MongoTestServer();

    /** The shipped config.yaml's MongoDB block: the database key defaults to orbit. */
    private static final String CONFIG = """
            internal_services:
              backend: {type: mongodb}
              mongodb:
                uri: ${ORBIT_MONGODB_URI}
                database: ${INTERNAL_SERVICES_MONGODB_DB:-orbit}
            """;

    @TempDir
    Path home;

    @Test
    void aDatabaseMigratedToAMongodbUriIsTheOneTheGatewayServesWithThatUri() {
        Path file = home.resolve("orbit.db");
        try (DatabaseService db = AdminTests.open("sqlite:" + file, home)) {
            db.insertOne(OrbitSchema.USERS, Document.of("username", "alice", "password", "hash", "role", "user",
                    "active", true, "created_at", Instant.now()));
        }
        String url = mongoUrl(MONGO); // mongodb://host:port/<a database of its own>
        assertThat(url).doesNotEndWith("/orbit");

        AdminTests.Run migrate = orbit(home, "db", "migrate", "--from", "sqlite:" + file, "--to", url);
        assertThat(migrate.status()).as(migrate.err()).isZero();

        OrbitConfig config = ConfigLoader.parse(CONFIG, "config.yaml", Map.of("ORBIT_HOME", home.toString(),
                "ORBIT_MONGODB_URI", url));
        try (DatabaseService served = DatabaseServiceFactory.open(config.backend(), OrbitSchema.SCHEMA)) {
            assertThat(served.findMany(OrbitSchema.USERS, Filters.all())).extracting(d -> d.getString("username"))
                    .containsExactly("alice");
        }
    }
}
