package dev.orbit.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.orbit.Gateway;
import dev.orbit.config.ConfigLoader;
import dev.orbit.config.OrbitConfig;
import dev.orbit.db.DatabaseServiceFactory.Backend;
import dev.orbit.db.mongo.MongoOptions;
import dev.orbit.db.postgres.PostgresTestServer;
import dev.orbit.db.mongo.MongoTestServer;
import dev.orbit.service.PasswordSettings;
import dev.orbit.service.ServiceFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * A real gateway on 127.0.0.1, port 0, on SQLite or MongoDB, with fast password hashing, and a client for it:
 * {@code Orbit orbit = Orbit.start(backend, dir, mongo, "auth: {api_key_admin_access: true}")}. The YAML given
 * is merged over a test configuration with the default admin's password set and the adapters below.
 */
final class Orbit implements AutoCloseable {
    static final String ADMIN_PASSWORD = "admin-Secret1";
    static final String ADAPTER = "simple-chat";
    static final String DISABLED_ADAPTER = "retired";
    /** Fast enough for tests; production uses 600,000 rounds. */
    private static final PasswordSettings FAST_PASSWORDS = new PasswordSettings(1_000, 1_000, 2, 256);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String BASE = """
            general: {host: 127.0.0.1, port: 0}
            auth: {default_admin_password: %s}
            chat_history: {retention_days: 0}
            adapters:
              - {name: %s, inference_provider: mock, model: mock-model}
              - {name: %s, enabled: false, inference_provider: mock, model: mock-model}
            """.formatted(ADMIN_PASSWORD, ADAPTER, DISABLED_ADAPTER);

    private final Gateway gateway;
    private final OrbitConfig config;
    private final int port;
    private final boolean ownsDatabase;
    private String storage;
    private Path file;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String adminToken;

    private Orbit(Gateway gateway, OrbitConfig config, boolean ownsDatabase) {
        this.gateway = gateway;
        this.config = config;
        this.port = gateway.port();
        this.ownsDatabase = ownsDatabase;
    }

    static Orbit start(TestBackend backend, Path dir, MongoTestServer mongo, String yaml) {
        return start(backend, dir, mongo, yaml, Clock.systemUTC());
    }

    /**
     * The gateway as production wires it ({@link ServiceFactory#fromConfig}, {@link Gateway#start}) from the test
     * configuration, with fast password hashing and the given clock.
     */
    static Orbit start(TestBackend backend, Path dir, MongoTestServer mongo, String yaml, Clock clock) {
        // Written to a file and loaded from it as production does, so that POST /admin/reload-adapters can read
        // it again after a test rewrites it (rewriteConfig).
        String storage = storage(backend, dir, mongo);
        Path file = dir.resolve("orbit-test.yaml");
        write(file, merge(BASE, storage, yaml));
        OrbitConfig config = ConfigLoader.load(file, Map.of("ORBIT_HOME", dir.toString()));
        Orbit orbit = new Orbit(startGateway(config, clock), config, true);
        orbit.storage = storage;
        orbit.file = file;
        return orbit;
    }

    /** Replaces the configuration file with the test configuration and this YAML over it (the gateway runs on). */
    void rewriteConfig(String yaml) {
        write(file, merge(BASE, storage, yaml));
    }

    /** Replaces the configuration file with this text exactly (e.g. something invalid). */
    void rewriteConfigText(String text) {
        write(file, text);
    }

    private static void write(Path file, String text) {
        try {
            java.nio.file.Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Another gateway on this one's database and configuration, as a second process (or this one restarted) would
     * run: its own database handles, caches and port. Closing it leaves the database to this one.
     */
    Orbit another() {
        return new Orbit(startGateway(config, Clock.systemUTC()), config, false);
    }

    private static Gateway startGateway(OrbitConfig config, Clock clock) {
        ServiceFactory services = ServiceFactory.fromConfig(config, Gateway.openDatabase(config.backend()),
                FAST_PASSWORDS, clock);
        return Gateway.start(config, services, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
    }

    private static String storage(TestBackend backend, Path dir, MongoTestServer mongo) {
        return switch (backend) {
            case SQLITE -> "internal_services: {backend: {type: sqlite, sqlite: {database_path: '"
                    + dir.resolve("orbit.db") + "'}}}";
            case MONGODB -> {
                MongoOptions options = mongo.newDatabase();
                yield "internal_services: {backend: {type: mongodb}, mongodb: {uri: '" + options.uri()
                        + "', database: " + options.database() + "}}";
            }
            case POSTGRES -> "internal_services: {backend: {type: postgres, postgres: {url: '"
                    + PostgresTestServer.url(PostgresTestServer.newDatabase()) + "'}}}";
        };
    }

    private static String merge(String... documents) {
        try {
            ObjectNode merged = JSON.createObjectNode();
            for (String document : documents) {
                JsonNode tree = YAML.readTree(document);
                if (tree != null && tree.isObject()) {
                    deepMerge(merged, (ObjectNode) tree);
                }
            }
            return YAML.writeValueAsString(merged);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deepMerge(ObjectNode into, ObjectNode from) {
        for (Map.Entry<String, JsonNode> field : from.properties()) {
            JsonNode existing = into.get(field.getKey());
            if (existing instanceof ObjectNode target && field.getValue() instanceof ObjectNode source) {
                deepMerge(target, source);
            } else {
                into.set(field.getKey(), field.getValue());
            }
        }
    }

    Gateway gateway() {
        return gateway;
    }

    OrbitConfig config() {
        return config;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    Call get(String path) {
        return new Call("GET", path);
    }

    Call post(String path) {
        return new Call("POST", path);
    }

    Call put(String path) {
        return new Call("PUT", path);
    }

    Call patch(String path) {
        return new Call("PATCH", path);
    }

    Call delete(String path) {
        return new Call("DELETE", path);
    }

    Call head(String path) {
        return new Call("HEAD", path);
    }

    Call options(String path) {
        return new Call("OPTIONS", path);
    }

    /** A session token of the default admin (logged in once per gateway). */
    String adminToken() {
        if (adminToken == null) {
            adminToken = login("admin", ADMIN_PASSWORD);
        }
        return adminToken;
    }

    String login(String username, String password) {
        Reply reply = post("/auth/login").json(Map.of("username", username, "password", password)).send();
        if (reply.status() != 200) {
            throw new AssertionError("login of " + username + " failed: " + reply);
        }
        return reply.json().get("token").textValue();
    }

    /** Registers a user with these roles and logs them in; returns the token. */
    String userWithRoles(String username, String... roles) {
        Reply reply = post("/auth/register").bearer(adminToken())
                .json(Map.of("username", username, "password", "password-" + username, "roles", java.util.List.of(roles)))
                .send();
        if (reply.status() != 200) {
            throw new AssertionError("register " + username + " failed: " + reply);
        }
        return login(username, "password-" + username);
    }

    /** A new API key for the adapter (the raw key). */
    String createKey(String adapter) {
        Reply reply = post("/admin/api-keys").bearer(adminToken())
                .json(Map.of("client_name", "test client", "adapter_name", adapter)).send();
        if (reply.status() != 200) {
            throw new AssertionError("create key failed: " + reply);
        }
        return reply.json().get("api_key").textValue();
    }

    HttpClient client() {
        return client;
    }

    @Override
    public void close() {
        gateway.close();
        if (ownsDatabase && config.backend() instanceof Backend.Postgres postgres) {
            PostgresTestServer.drop(postgres.options());
        }
    }

    /** One request being built; {@link #send} sends it. */
    final class Call {
        private final String method;
        private final String path;
        private final HttpRequest.Builder builder;
        private HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();

        private Call(String method, String path) {
            this.method = method;
            this.path = path;
            this.builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        }

        Call header(String name, String value) {
            builder.header(name, value);
            return this;
        }

        Call bearer(String token) {
            return header("Authorization", "Bearer " + token);
        }

        Call apiKey(String key) {
            return header("X-API-Key", key);
        }

        Call session(String sessionId) {
            return header("X-Session-ID", sessionId);
        }

        Call json(Object value) {
            try {
                return body(JSON.writeValueAsString(value));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** An HTML form's body ({@code application/x-www-form-urlencoded}), as a browser posts it. */
        Call form(Map<String, String> fields) {
            header("Content-Type", "application/x-www-form-urlencoded");
            String encoded = fields.entrySet().stream().map(e -> java.net.URLEncoder.encode(e.getKey(),
                    StandardCharsets.UTF_8) + "=" + java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(java.util.stream.Collectors.joining("&"));
            body = HttpRequest.BodyPublishers.ofString(encoded, StandardCharsets.UTF_8);
            return this;
        }

        Call body(String text) {
            header("Content-Type", "application/json");
            body = HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8);
            return this;
        }

        Call body(HttpRequest.BodyPublisher publisher) {
            header("Content-Type", "application/json");
            body = publisher;
            return this;
        }

        Orbit orbit() {
            return Orbit.this;
        }

        HttpRequest request() {
            return builder.method(method, body).build();
        }

        Reply send() {
            try {
                HttpResponse<String> response = client.send(request(), HttpResponse.BodyHandlers.ofString());
                return new Reply(response.statusCode(), response.body(), response.headers());
            } catch (IOException e) {
                throw new UncheckedIOException(method + " " + path + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
