package dev.orbit.db.mongo;

import static dev.orbit.db.Filters.all;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.orbit.db.Document;
import dev.orbit.db.OrbitSchema;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Transactions beyond the contract suite: the service refuses writes that would escape a running
 * transaction. Needs a replica set ({@code ORBIT_TEST_MONGODB_URI}); skipped on a standalone server.
 */
class MongoTransactionTest {
    @RegisterExtension
    static final MongoTestServer MONGO = new MongoTestServer();

    private MongoDatabaseService db;

    @BeforeEach
    void open() {
        db = new MongoDatabaseService(MONGO.newDatabase(), OrbitSchema.SCHEMA);
        db.initialize();
        Assumptions.assumeTrue(db.supportsTransactions(), db.describe() + " cannot run multi-document transactions");
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static Document user(String name) {
        return Document.of("username", name, "password", "h", "role", "user", "active", true, "created_at", Instant.EPOCH);
    }

    @Test
    void aWriteThroughTheServiceInsideTheWorkIsRefusedAndRollsBack() {
        Throwable thrown = catchThrowable(() -> db.useTransaction(tx -> {
            tx.insertOne(OrbitSchema.USERS, user("inside"));
            db.insertOne(OrbitSchema.USERS, user("escaping"));
        }));
        assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("transaction's DocumentStore");
        assertThat(db.count(OrbitSchema.USERS, all())).isZero();
        db.insertOne(OrbitSchema.USERS, user("after"));
        assertThat(db.count(OrbitSchema.USERS, all())).isEqualTo(1);
    }

    @Test
    void readsThroughTheServiceInsideTheWorkSeeOnlyCommittedData() {
        long outside = db.executeTransaction(tx -> {
            tx.insertOne(OrbitSchema.USERS, user("pending"));
            return db.count(OrbitSchema.USERS, all());
        });
        assertThat(outside).isZero();
        assertThat(db.count(OrbitSchema.USERS, all())).isEqualTo(1);
    }
}
