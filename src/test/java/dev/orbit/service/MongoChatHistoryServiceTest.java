package dev.orbit.service;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.mongo.MongoDatabaseService;
import dev.orbit.db.mongo.MongoTestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ChatHistoryServiceTest} on MongoDB (the in-process wire-protocol server, or ORBIT_TEST_MONGODB_URI). */
class MongoChatHistoryServiceTest extends ChatHistoryServiceTest {
    @RegisterExtension
    static final MongoTestServer MONGO = new MongoTestServer();

    @Override
    protected DatabaseService openDatabase(Path dir) {
        return TestDatabases.mongo(MONGO, dir);
    }

    /** The in-process server runs no transactions (a replica set named by ORBIT_TEST_MONGODB_URI does). */
    @Override
    boolean runsAtomicUnits() {
        return ((MongoDatabaseService) db()).supportsTransactions();
    }
}
