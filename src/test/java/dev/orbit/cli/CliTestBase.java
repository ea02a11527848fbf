package dev.orbit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.db.mongo.MongoTestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Base of the CLI tests that need a server: each runs once on SQLite, MongoDB and PostgreSQL, against a real gateway
 * started fresh for the test; {@code orbit} finds it through ORBIT_SERVER_URL.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(CliBackend.class)
abstract class CliTestBase {
    @RegisterExtension
    static final MongoTestServer MONGO = new MongoTestServer();

    @Parameter
    CliBackend backend;

    @TempDir
    Path dir;

    TestGateway gateway;
    Orbit orbit;

    @BeforeEach
    void startGateway() {
        gateway = TestGateway.start(backend, dir, MONGO);
        orbit = new Orbit(dir.resolve("home"), Map.of("ORBIT_SERVER_URL", gateway.url(), "ORBIT_HOME", dir.toString()));
    }

    @AfterEach
    void stopGateway() {
        gateway.close();
    }

    /** Runs {@code orbit} and expects exit status 0. */
    Run ok(String... args) {
        Run run = orbit.run(args);
        assertThat(run.status()).as(run.toString()).isZero();
        return run;
    }

    /** Runs {@code orbit} and expects exit status 1 with {@code orbit: <message>} alone on standard error. */
    Run fails(String message, String... args) {
        Run run = orbit.run(args);
        assertThat(run.status()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).as(run.toString()).isEqualTo("orbit: " + message + "\n");
        return run;
    }

    void loginAsAdmin() {
        ok("login", "-u", "admin", "-p", TestGateway.ADMIN_PASSWORD);
    }

    /** Registers a user with these roles (as the admin) and logs in as them. */
    void loginAsNew(String username, String... roles) {
        loginAsAdmin();
        ok("register", "-u", username, "-p", "password-" + username, "--roles", String.join(",", roles));
        ok("login", "-u", username, "-p", "password-" + username);
    }

    /** The session token in ~/.orbit/token.json. */
    String storedToken() {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    java.nio.file.Files.readString(orbit.orbitDir().resolve("token.json"))).path("token").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A user's id, looked up as the admin (who must be logged in). */
    String userId(String username) {
        for (var user : ok("--output", "json", "user", "list").json()) {
            if (user.path("username").asText().equals(username)) {
                return user.path("id").asText();
            }
        }
        throw new AssertionError("no user " + username);
    }
}
