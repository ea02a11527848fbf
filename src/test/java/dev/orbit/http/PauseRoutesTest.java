package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code POST /admin/pause} and {@code /admin/resume}: chat refused with 503 while paused, on every gateway. */
class PauseRoutesTest extends GatewayTestBase {
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final Map<String, Object> HELLO = Map.of("messages", List.of(Map.of("role", "user", "content", "hi")));

    private final FakeProvider provider = new FakeProvider();

    @AfterEach
    void stopProvider() {
        provider.close();
    }

    @Test
    void pausedChatIs503WithRetryAfterBeforeTheKeyIsCheckedWhileOtherRoutesWork() {
        Orbit orbit = orbit();
        String key = orbit.createKey(Orbit.ADAPTER);
        Reply paused = orbit.post("/admin/pause").bearer(orbit.adminToken()).send();
        assertThat(paused.status()).isEqualTo(200);
        assertThat(paused.json().get("status").textValue()).isEqualTo("success");
        assertThat(paused.json().get("message").textValue()).isEqualTo("Server paused");

        for (String path : List.of("/v1/chat", "/v1/chat/completions")) {
            for (String sentKey : List.of(key, "orbit_not-a-key")) {
                Reply reply = orbit.post(path).apiKey(sentKey).session("s").json(HELLO).send();
                assertThat(reply.status()).as(path).isEqualTo(503);
                assertThat(reply.detail()).isEqualTo("Server is paused");
                assertThat(reply.header("Retry-After")).isEqualTo("30");
            }
        }
        assertThat(orbit.get("/health").send().status()).isEqualTo(200);
        assertThat(orbit.get("/admin/api-keys").bearer(orbit.adminToken()).send().status()).isEqualTo(200);
        assertThat(orbit.get("/admin/info").bearer(orbit.adminToken()).send().json().get("status").textValue())
                .isEqualTo("paused");

        assertThat(orbit.post("/admin/resume").bearer(orbit.adminToken()).send().json().get("message").textValue())
                .isEqualTo("Server resumed");
        assertThat(orbit.post("/v1/chat").apiKey(key).session("s").json(HELLO).send().status()).isEqualTo(200);
        assertThat(orbit.get("/admin/info").bearer(orbit.adminToken()).send().json().get("status").textValue())
                .isEqualTo("running");
    }

    @Test
    void pauseAndResumeNeedSystemManageAndAreAudited() {
        Orbit orbit = orbit("internal_services: {audit: {enabled: true, flush_interval_ms: 20}}");
        String analyst = orbit.userWithRoles("ann", "analyst");
        String operator = orbit.userWithRoles("otto", "operator");
        for (String path : List.of("/admin/pause", "/admin/resume")) {
            assertThat(orbit.post(path).send().status()).isEqualTo(401);
            assertThat(orbit.post(path).bearer(analyst).send().status()).isEqualTo(403);
        }
        assertThat(orbit.post("/admin/pause").bearer(operator).send().status()).isEqualTo(200);
        assertThat(orbit.post("/admin/resume").bearer(operator).send().status()).isEqualTo(200);

        JsonNode events = orbit.get("/admin/audit/events?event_prefix=admin.system.&limit=10")
                .bearer(orbit.adminToken()).send().json();
        List<String> types = events.findValuesAsText("event_type");
        assertThat(types).contains("admin.system.pause", "admin.system.resume");
    }

    @Test
    void aStreamRunningWhenThePauseComesEndsNormally() throws Exception {
        Orbit orbit = orbit(ChatRoutesTest.withFakeAdapter(provider));
        String key = orbit.createKey(ChatRoutesTest.FAKE);
        provider.mode(FakeProvider.Mode.HOLD);
        CompletableFuture<EventReader> stream = CompletableFuture.supplyAsync(() -> EventReader.read(
                orbit.post("/v1/chat").apiKey(key).session("s").json(Map.of("messages",
                        List.of(Map.of("role", "user", "content", "x")), "stream", true))));
        provider.awaitRequests(1);

        assertThat(orbit.post("/admin/pause").bearer(orbit.adminToken()).send().status()).isEqualTo(200);
        provider.release();

        EventReader events = stream.get();
        assertThat(events.status()).isEqualTo(200);
        assertThat(events.json().getLast().get("done").booleanValue()).isTrue();
        assertThat(events.json().getLast().has("error")).isFalse();
        assertThat(orbit.post("/v1/chat").apiKey(key).session("s").json(HELLO).send().status()).isEqualTo(503);
    }

    @Test
    void aPauseOnOneGatewayPausesAnotherOnTheSameDatabaseWithinTheBoundAndAResumeThereResumesBoth()
            throws InterruptedException {
        Orbit first = orbit();
        try (Orbit second = first.another()) {
            String key = first.createKey(Orbit.ADAPTER);
            assertThat(second.post("/v1/chat").apiKey(key).session("s").json(HELLO).send().status()).isEqualTo(200);

            first.post("/admin/pause").bearer(first.adminToken()).send();
            awaitChatStatus(second, key, 503);
            assertThat(second.get("/admin/info").bearer(second.adminToken()).send().json().get("status").textValue())
                    .isEqualTo("paused");

            second.post("/admin/resume").bearer(second.adminToken()).send();
            awaitChatStatus(first, key, 200);
        }
    }

    @Test
    void aRestartedGatewayIsStillPaused() {
        Orbit first = orbit();
        first.post("/admin/pause").bearer(first.adminToken()).send();
        try (Orbit restarted = first.another()) {
            String key = first.createKey(Orbit.ADAPTER);
            assertThat(restarted.post("/v1/chat").apiKey(key).session("s").json(HELLO).send().status())
                    .isEqualTo(503);
        }
    }

    private static void awaitChatStatus(Orbit orbit, String key, int status) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (orbit.post("/v1/chat").apiKey(key).session("wait").json(HELLO).send().status() != status) {
            assertThat(System.nanoTime()).as("chat answers " + status + " within " + DEADLINE).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
