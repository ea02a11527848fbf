package dev.orbit.service;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.mongo.MongoTestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link BlacklistServiceTest} on MongoDB (the in-process wire-protocol server, or ORBIT_TEST_MONGODB_URI). */
class MongoBlacklistServiceTest extends BlacklistServiceTest {
    @RegisterExtension
    static final MongoTestServer MONGO = new MongoTestServer();

    @Override
    protected DatabaseService openDatabase(Path dir) {
        return TestDatabases.mongo(MONGO, dir);
    }
}
