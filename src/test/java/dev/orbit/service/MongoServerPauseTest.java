package dev.orbit.service;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.mongo.MongoTestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ServerPauseTest} on MongoDB. */
class MongoServerPauseTest extends ServerPauseTest {
    @RegisterExtension
    static final MongoTestServer MONGO = new MongoTestServer();

    @Override
    protected DatabaseService openDatabase(Path dir) {
        return TestDatabases.mongo(MONGO, dir);
    }
}
