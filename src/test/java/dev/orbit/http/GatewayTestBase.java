package dev.orbit.http;

import dev.orbit.db.mongo.MongoTestServer;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Base of the HTTP tests: each runs on SQLite, on MongoDB (the in-process wire-protocol server, or
 * ORBIT_TEST_MONGODB_URI) and on PostgreSQL (the shared test server, or ORBIT_TEST_POSTGRES_URL), against a real
 * gateway started fresh for the test and wired by the production factory (only password hashing is made fast,
 * and the clock may be the test's).
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestBackend.class)
abstract class GatewayTestBase {
    @RegisterExtension
    static final MongoTestServer MONGO = new MongoTestServer();

    @Parameter
    TestBackend backend;

    @TempDir
    Path dir;

    private Orbit orbit;

    /** The test's gateway with the test configuration (started on first use). */
    Orbit orbit() {
        return orbit == null ? orbit("") : orbit;
    }

    /** The test's gateway with this YAML merged over the test configuration; at most one per test. */
    Orbit orbit(String yaml) {
        return orbit(yaml, Clock.systemUTC());
    }

    /** The test's gateway with this YAML, its services and routes on {@code clock}; at most one per test. */
    Orbit orbit(String yaml, Clock clock) {
        if (orbit != null) {
            throw new IllegalStateException("this test already started its gateway");
        }
        orbit = Orbit.start(backend, dir, MONGO, yaml, clock);
        return orbit;
    }

    /** The test's gateway with the test configuration and services reading {@code clock}; at most one per test. */
    Orbit orbit(java.time.Clock clock) {
        if (orbit != null) {
            throw new IllegalStateException("this test already started its gateway");
        }
        orbit = Orbit.start(backend, dir, MONGO, "", clock);
        return orbit;
    }

    @AfterEach
    void stopGateway() {
        if (orbit != null) {
            orbit.close();
        }
    }
}
