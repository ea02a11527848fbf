package dev.orbit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orbit.db.mongo.MongoTestServer;
import dev.orbit.db.postgres.PostgresOptions;
import dev.orbit.db.postgres.PostgresTestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two {@code orbit serve} processes on one database (one SQLite file, one MongoDB or one PostgreSQL database), a
 * supported deployment: one conversation whose turns alternate between them is stored in the order the turns were
 * answered, every turn exactly once.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(CliBackend.class)
class TwoGatewaysOneDatabaseTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_LIMIT = Duration.ofSeconds(90);

    @RegisterExtension
    static final MongoTestServer MONGO = new MongoTestServer();

    @Parameter
    CliBackend backend;

    @TempDir
    Path home;

    private PostgresOptions postgres;
    /** The shared database, as configuration both gateways read. */
    private String storage;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> servers = new ArrayList<>();

    @BeforeEach
    void database() {
        postgres = backend == CliBackend.POSTGRES ? PostgresTestServer.newDatabase() : null;
        storage = TestGateway.storage(backend, home, MONGO, postgres);
    }

    @AfterEach
    void stopServers() throws InterruptedException {
        for (Process server : servers) {
            server.destroy();
        }
        for (Process server : servers) {
            if (!server.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        if (postgres != null) {
            PostgresTestServer.drop(postgres);
        }
    }

    @Test
    void turnsAlternatingBetweenTwoGatewaysAreStoredOnceEachInTheOrderTheyWereAnswered() throws Exception {
        String first = serve("a");
        String second = serve("b");
        String admin = JSON.readTree(post(first + "/auth/login", Map.of(), Map.of("username", "admin", "password",
                "admin-Secret1")).body()).get("token").textValue();
        String key = JSON.readTree(post(first + "/admin/api-keys", Map.of("Authorization", "Bearer " + admin),
                Map.of("client_name", "two gateways", "adapter_name", "simple-chat")).body()).get("api_key").textValue();

        for (String session : List.of("distinct", "same-words")) {
            List<String> expected = new ArrayList<>();
            List<String> assistantIds = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String gateway = i % 2 == 0 ? first : second;
                String text = session.equals("distinct") ? "m" + i : "yes";
                HttpResponse<String> reply = post(gateway + "/v1/chat", Map.of("X-API-Key", key, "X-Session-ID", session),
                        Map.of("messages", List.of(Map.of("role", "user", "content", text))));
                assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
                assistantIds.add(JSON.readTree(reply.body()).get("assistant_message_id").textValue());
                expected.add(text);
                expected.add("Echo: " + text);
            }

            HttpResponse<String> history = client.send(HttpRequest.newBuilder(
                    URI.create(second + "/admin/chat-history/" + session + "?limit=100"))
                    .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode messages = JSON.readTree(history.body()).get("messages");
            List<String> contents = new ArrayList<>();
            List<String> storedAssistantIds = new ArrayList<>();
            for (JsonNode m : messages) {
                contents.add(m.get("content").textValue());
                if ("assistant".equals(m.get("role").textValue())) {
                    storedAssistantIds.add(m.get("message_id").textValue());
                }
            }
            assertThat(contents).as(session).containsExactlyElementsOf(expected);
            assertThat(storedAssistantIds).as("the ids the turns returned").containsExactlyElementsOf(assistantIds);
        }
    }

    @Test
    void aDailyQuotaHoldsExactlyAcrossThreeGatewaysFiringConcurrently() throws Exception {
        String quota = "security: {throttling: {enabled: true, default_quotas: {daily_limit: 30}}}\n";
        List<String> gateways = List.of(serve("q1", quota), serve("q2", quota), serve("q3", quota));
        String admin = JSON.readTree(post(gateways.getFirst() + "/auth/login", Map.of(), Map.of("username", "admin",
                "password", "admin-Secret1")).body()).get("token").textValue();
        String key = JSON.readTree(post(gateways.getFirst() + "/admin/api-keys", Map.of("Authorization", "Bearer "
                + admin), Map.of("client_name", "quota", "adapter_name", "simple-chat")).body()).get("api_key").textValue();

        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        for (int i = 0; i < 75; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(gateways.get(i % 3) + "/v1/chat"))
                    .header("Content-Type", "application/json").header("X-API-Key", key)
                    .header("X-Session-ID", "q-" + i).POST(HttpRequest.BodyPublishers.ofString(
                            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build();
            replies.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        for (var reply : replies) {
            statuses.merge(reply.get(60, java.util.concurrent.TimeUnit.SECONDS).statusCode(), 1, Integer::sum);
        }

        assertThat(statuses).isEqualTo(Map.of(200, 30, 429, 45));
    }

    /** Starts {@code orbit serve} on the shared database and returns its base URL once it answers. */
    private String serve(String name) throws Exception {
        return serve(name, "");
    }

    /** {@link #serve(String)} with more configuration. */
    private String serve(String name, String yaml) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path config = Files.writeString(home.resolve(name + ".yaml"), """
                general: {host: 127.0.0.1, port: %d}
                auth: {default_admin_password: admin-Secret1, pbkdf2_iterations: 1000}
                %s
                adapters:
                  - {name: simple-chat, inference_provider: mock, model: mock-model}
                """.formatted(port, storage) + yaml);
        List<String> command = new ArrayList<>(CliEnvironment.currentJvmCommand());
        command.add(1, "-Xmx192m");
        command.addAll(List.of("serve", "--config", config.toString()));
        Path log = home.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("ORBIT_HOME", home.toString());
        Process server = builder.start();
        servers.add(server);
        String base = "http://127.0.0.1:" + port;
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (true) {
            try {
                client.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding());
                return base;
            } catch (IOException e) {
                assertThat(server.isAlive()).as(Files.readString(log)).isTrue();
                assertThat(System.nanoTime()).as("gateway " + name + " answers").isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }

    private HttpResponse<String> post(String url, Map<String, String> headers, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
