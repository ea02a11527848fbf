package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Deleting a conversation and stopping a turn, as the reference chat app (through its proxy: {@code X-API-Key},
 * {@code X-User-ID}, the app's sign-in bearer) and the reference Node client ({@code X-API-Key},
 * {@code X-Session-ID}, {@code X-Request-ID}) send them.
 */
class ConversationRoutesTest extends GatewayTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FakeProvider provider = new FakeProvider();

    @AfterEach
    void stopProvider() {
        provider.close();
    }

    private static Map<String, Object> ask(String text, boolean stream) {
        return Map.of("messages", List.of(Map.of("role", "user", "content", text)), "stream", stream);
    }

    /** What the chat app's proxy forwards: its key and the app's user id (and the app's sign-in token, if any). */
    private Orbit.Call proxied(Orbit.Call call, String key) {
        return call.apiKey(key).header("X-User-ID", "anon-5f2c");
    }

    private Orbit.Call proxiedSignedIn(Orbit.Call call, String key) {
        return proxied(call, key).bearer("eyJhbGciOiJSUzI1NiJ9.app-sign-in.token");
    }

    @Test
    void theChatAppDeletesItsConversationWithItsFiles() {
        String key = orbit().createKey(Orbit.ADAPTER);
        proxied(orbit().post("/v1/chat"), key).session("conv-1").json(ask("hello", false)).send();
        proxied(orbit().post("/v1/chat"), key).session("conv-2").json(ask("keep me", false)).send();

        Reply reply = proxiedSignedIn(orbit().delete("/admin/conversations/conv-1?file_ids=file-a,file-b"), key).send();

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(json.get("status").textValue()).isEqualTo("success");
        assertThat(json.get("session_id").textValue()).isEqualTo("conv-1");
        assertThat(json.get("deleted_messages").intValue()).isEqualTo(2);
        assertThat(json.get("deleted_files").intValue()).isZero();
        assertThat(json.get("file_deletion_errors").isNull()).isTrue();
        assertThat(json.get("timestamp").textValue()).endsWith("Z");
        assertThat(orbit().gateway().services().chatHistory().latest("conv-1", 10)).isEmpty();
        assertThat(orbit().gateway().services().chatHistory().latest("conv-2", 10)).hasSize(2);
    }

    @Test
    void theNodeClientDeletesWithTheSessionHeaderWhichMustMatch() {
        String key = orbit().createKey(Orbit.ADAPTER);
        orbit().post("/v1/chat").apiKey(key).session("node-1").json(ask("hello", false)).send();

        Reply mismatch = orbit().delete("/admin/conversations/node-1").apiKey(key).session("node-2")
                .header("Content-Type", "application/json").send();
        Reply reply = orbit().delete("/admin/conversations/node-1").apiKey(key).session("node-1")
                .header("Content-Type", "application/json").header("X-Request-ID", "mbx1k2abc9").send();

        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("deleted_messages").intValue()).isEqualTo(2);
    }

    @Test
    void onlyTheOwnerKeyDeletesAConversation() {
        String owner = orbit().createKey(Orbit.ADAPTER);
        String other = orbit().createKey(Orbit.ADAPTER);
        orbit().post("/v1/chat").apiKey(owner).session("mine").json(ask("hello", false)).send();

        Reply foreign = orbit().delete("/admin/conversations/mine").apiKey(other).send();
        Reply invalid = orbit().delete("/admin/conversations/mine").apiKey("orbit_wrong").send();
        Reply none = orbit().delete("/admin/conversations/mine").send();

        assertThat(foreign.status()).isEqualTo(403);
        assertThat(invalid.status()).isEqualTo(401);
        assertThat(none.status()).isEqualTo(401);
        assertThat(orbit().gateway().services().chatHistory().latest("mine", 10)).hasSize(2);
    }

    @Test
    void aStoppedStreamEndsWithoutDoneAndStoresNothing() throws Exception {
        Orbit orbit = orbit(ChatRoutesTest.withFakeAdapter(provider));
        String key = orbit.createKey(ChatRoutesTest.FAKE);
        String other = orbit.createKey(ChatRoutesTest.FAKE);
        provider.mode(FakeProvider.Mode.HANG);

        try (OpenStream stream = OpenStream.open(proxied(orbit.post("/v1/chat"), key).session("s-stop")
                .json(ask("tell me a long story", true)))) {
            String requestId = stream.next().get("request_id").textValue();
            Reply foreign = orbit.post("/v1/chat/stop").apiKey(other).json(stop("s-stop", requestId)).send();
            Reply stopped = proxiedSignedIn(orbit.post("/v1/chat/stop"), key).header("Content-Type", "application/json")
                    .json(stop("s-stop", requestId)).send();

            assertThat(foreign.json().get("status").textValue()).isEqualTo("not_found");
            assertThat(stopped.status()).isEqualTo(200);
            assertThat(stopped.json().get("status").textValue()).isEqualTo("cancelled");
            assertThat(stopped.json().get("session_id").textValue()).isEqualTo("s-stop");
            assertThat(stopped.json().get("request_id").textValue()).isEqualTo(requestId);
            // The stream ends at once, before the provider's timeout could report an error, and without done.
            assertThat(stream.rest(Duration.ofMillis(600))).isEmpty();
        }
        assertThat(orbit.gateway().services().chatHistory().latest("s-stop", 10)).isEmpty();
        assertThat(orbit.post("/v1/chat/stop").apiKey(key).json(stop("s-stop", "gone")).send().json()
                .get("status").textValue()).isEqualTo("not_found");
    }

    @Test
    void aStoppedJsonTurnIs409AndStoresNothing() {
        Orbit orbit = orbit(ChatRoutesTest.withFakeAdapter(provider));
        String key = orbit.createKey(ChatRoutesTest.FAKE);
        provider.mode(FakeProvider.Mode.HANG);

        CompletableFuture<HttpResponse<String>> pending = orbit.client().sendAsync(orbit.post("/v1/chat").apiKey(key)
                .session("s-plain").header("X-Request-ID", "node-req-1").json(ask("hi", false)).request(),
                HttpResponse.BodyHandlers.ofString());
        String status = stopUntilFound(orbit, key, "s-plain", "node-req-1");
        HttpResponse<String> reply = pending.orTimeout(5, TimeUnit.SECONDS).join();

        assertThat(status).isEqualTo("cancelled");
        assertThat(reply.statusCode()).isEqualTo(409);
        assertThat(reply.body()).contains(ChatPipeline.STOPPED);
        assertThat(orbit.gateway().services().chatHistory().latest("s-plain", 10)).isEmpty();
    }

    @Test
    void anOpenAiStreamIsStoppedByItsRequestId() throws Exception {
        Orbit orbit = orbit(ChatRoutesTest.withFakeAdapter(provider));
        String key = orbit.createKey(ChatRoutesTest.FAKE);
        provider.mode(FakeProvider.Mode.HANG);

        try (OpenStream stream = OpenStream.open(orbit.post("/v1/chat/completions").bearer(key).session("s-oa")
                .header("X-Request-ID", "sdk-req-9").json(ask("hi", true)))) {
            assertThat(stream.next().get("object").textValue()).isEqualTo("chat.completion.chunk");
            Reply stopped = orbit.post("/v1/chat/stop").bearer(key).json(stop("s-oa", "sdk-req-9")).send();

            assertThat(stopped.json().get("status").textValue()).isEqualTo("cancelled");
            assertThat(stream.rest(Duration.ofMillis(600))).isEmpty();
        }
        assertThat(orbit.gateway().services().chatHistory().latest("s-oa", 10)).isEmpty();
    }

    @Test
    void aStopNeedsAKeyAndBothIds() {
        String key = orbit().createKey(Orbit.ADAPTER);

        assertThat(orbit().post("/v1/chat/stop").json(stop("s", "r")).send().status()).isEqualTo(401);
        assertThat(orbit().post("/v1/chat/stop").apiKey(key).json(Map.of("session_id", "s")).send().status())
                .isEqualTo(422);
        assertThat(orbit().post("/v1/chat/stop").apiKey(key).body("{\"session_id\": 1, \"request_id\": \"r\"}").send()
                .status()).isEqualTo(422);
        assertThat(orbit().post("/v1/chat/stop").apiKey(key).body("{").send().status()).isEqualTo(422);
    }

    @Test
    void hostileIdsOnTheClientRoutesAreClear4xxNeverAServerError() {
        String key = orbit().createKey(Orbit.ADAPTER);
        for (String id : List.of("0123456789abcdef01234567", "%22%27%3B--", "x".repeat(2000), "%00", "..%2F..%2Fetc",
                "%E2%98%83", "$where", "%7B%22%24gt%22%3A%22%22%7D", "a%0Ab")) {
            for (Orbit.Call call : List.of(orbit().delete("/admin/conversations/" + id),
                    orbit().get("/api/feedback/" + id), orbit().get("/api/threads/" + id),
                    orbit().delete("/api/threads/" + id), orbit().get("/admin/adapters/" + id + "/models"),
                    orbit().get("/v1/models/" + id))) {
                Reply reply = call.apiKey(key).send();
                assertThat(reply.status()).as(id + " " + reply.body()).isLessThan(500);
                if (reply.status() >= 400) {
                    assertThat(reply.json().has("detail")).as(id).isTrue();
                }
            }
        }
        for (Object hostile : List.of("\u0000", "x".repeat(100_000), "\uD800", 12, List.of())) {
            Reply reply = orbit().post("/v1/chat/stop").apiKey(key).json(Map.of("session_id", hostile,
                    "request_id", hostile)).send();
            assertThat(reply.status()).as(String.valueOf(hostile).length() + " chars").isIn(200, 400, 413, 422);
        }
    }

    private static Map<String, Object> stop(String sessionId, String requestId) {
        return Map.of("session_id", sessionId, "request_id", requestId);
    }

    /** Stops the turn as soon as it is running (the request above is sent without waiting for it). */
    private static String stopUntilFound(Orbit orbit, String key, String sessionId, String requestId) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        String status;
        do {
            status = orbit.post("/v1/chat/stop").apiKey(key).json(stop(sessionId, requestId)).send().json()
                    .get("status").textValue();
        } while (!status.equals("cancelled") && System.nanoTime() < deadline);
        return status;
    }

    /** A streamed reply read event by event while the test acts on it. */
    private record OpenStream(InputStream body, BufferedReader reader) implements AutoCloseable {
        static OpenStream open(Orbit.Call call) throws IOException, InterruptedException {
            HttpResponse<InputStream> response = call.orbit().client().send(call.request(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            InputStream body = response.body();
            return new OpenStream(body, new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)));
        }

        JsonNode next() throws IOException {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    return JSON.readTree(line.substring(6));
                }
            }
            throw new AssertionError("the stream ended");
        }

        /** The data of the events still to come, until the stream ends (which it must within {@code within}). */
        List<String> rest(Duration within) {
            CompletableFuture<List<String>> rest = CompletableFuture.supplyAsync(() -> {
                List<String> data = new ArrayList<>();
                try {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        if (line.startsWith("data: ")) {
                            data.add(line.substring(6));
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return data;
            });
            return rest.orTimeout(within.toMillis(), TimeUnit.MILLISECONDS).join();
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }
}
