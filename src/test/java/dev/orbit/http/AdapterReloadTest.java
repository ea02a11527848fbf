package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code POST /admin/reload-adapters}: the configuration file's adapters put in force without a restart. */
class AdapterReloadTest extends GatewayTestBase {
    private static final Map<String, Object> HELLO = Map.of("messages", List.of(Map.of("role", "user", "content", "hi")));

    private final FakeProvider oldProvider = new FakeProvider();
    private final FakeProvider newProvider = new FakeProvider();

    @AfterEach
    void stopProviders() {
        oldProvider.close();
        newProvider.close();
    }

    private static String fake(String model, FakeProvider provider) {
        return "{name: fake, inference_provider: openai, model: " + model + ", base_url: '" + provider.baseUrl() + "'}";
    }

    private static String adapters(String... entries) {
        return "adapters:\n" + String.join("\n", java.util.Arrays.stream(entries).map(e -> "  - " + e).toList());
    }

    private static final String SIMPLE = "{name: " + Orbit.ADAPTER + ", inference_provider: mock, model: mock-model}";

    private Reply reload(Orbit orbit) {
        return orbit.post("/admin/reload-adapters").bearer(orbit.adminToken()).send();
    }

    @Test
    void addedChangedAndDisabledAdaptersAreInForceAtOnceForChatAndForKeys() {
        Orbit orbit = orbit(adapters(SIMPLE, fake("fake-model", oldProvider)));
        String simpleKey = orbit.createKey(Orbit.ADAPTER);
        String fakeKey = orbit.createKey("fake");
        assertThat(orbit.post("/admin/api-keys").bearer(orbit.adminToken())
                .json(Map.of("client_name", "c", "adapter_name", "later")).send().status()).isEqualTo(400);

        orbit.rewriteConfig(adapters("{name: " + Orbit.ADAPTER + ", enabled: false, inference_provider: mock,"
                + " model: mock-model}", fake("new-model", newProvider),
                "{name: later, inference_provider: mock, model: m, capabilities: {supports_threading: true}}"));
        Reply reply = reload(orbit);

        assertThat(reply.status()).isEqualTo(200);
        JsonNode summary = reply.json().get("summary");
        assertThat(reply.json().get("message").textValue())
                .isEqualTo("Adapters reloaded: 1 added, 0 removed, 2 updated, 3 total");
        assertThat(summary.get("added_names")).extracting(JsonNode::textValue).containsExactly("later");
        assertThat(summary.get("updated_names")).extracting(JsonNode::textValue).containsExactly(Orbit.ADAPTER, "fake");
        assertThat(summary.get("removed").intValue()).isZero();
        assertThat(summary.get("unchanged").intValue()).isZero();

        assertThat(orbit.post("/v1/chat").apiKey(simpleKey).session("a").json(HELLO).send().status()).isEqualTo(401);
        Reply viaFake = orbit.post("/v1/chat").apiKey(fakeKey).session("b").json(HELLO).send();
        assertThat(viaFake.status()).isEqualTo(200);
        assertThat(newProvider.requests()).singleElement()
                .satisfies(r -> assertThat(r.get("model").textValue()).isEqualTo("new-model"));
        String laterKey = orbit.createKey("later");
        assertThat(orbit.post("/v1/chat").apiKey(laterKey).session("c").json(HELLO).send().status()).isEqualTo(200);
        assertThat(orbit.get("/admin/adapters/info").apiKey(laterKey).send().json().get("supportsThreading")
                .booleanValue()).isTrue();

        // The same file again changes nothing.
        JsonNode again = reload(orbit).json().get("summary");
        assertThat(again.get("unchanged").intValue()).isEqualTo(3);
        assertThat(again.get("updated").intValue()).isZero();
    }

    @Test
    void anInvalidFileChangesNothingAndTheReplySaysWhy() {
        Orbit orbit = orbit();
        String key = orbit.createKey(Orbit.ADAPTER);

        orbit.rewriteConfig(adapters("{name: " + Orbit.ADAPTER + ", inference_provider: mock, model: m,"
                + " temperature: 9}"));
        Reply bad = reload(orbit);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.detail()).startsWith("Adapters not reloaded, nothing changed: ").contains("temperature");

        orbit.rewriteConfigText("adapters: [unclosed");
        Reply broken = reload(orbit);
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.detail()).contains("invalid YAML");

        orbit.rewriteConfig(adapters(SIMPLE, SIMPLE));
        assertThat(reload(orbit).status()).isEqualTo(400);

        assertThat(orbit.post("/v1/chat").apiKey(key).session("s").json(HELLO).send().status()).isEqualTo(200);
    }

    @Test
    void aTurnStartedBeforeTheReloadFinishesOnTheAdapterItStartedWith() throws Exception {
        Orbit orbit = orbit(adapters(SIMPLE, fake("fake-model", oldProvider)));
        String key = orbit.createKey("fake");
        oldProvider.mode(FakeProvider.Mode.HOLD);
        CompletableFuture<Reply> running = CompletableFuture.supplyAsync(
                () -> orbit.post("/v1/chat").apiKey(key).session("s").json(HELLO).send());
        oldProvider.awaitRequests(1);

        orbit.rewriteConfig(adapters(SIMPLE, fake("new-model", newProvider)));
        assertThat(reload(orbit).status()).isEqualTo(200);
        oldProvider.release();

        Reply first = running.get();
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("response").textValue()).isEqualTo("Fake reply");
        assertThat(first.json().get("metadata").get("model").textValue()).isEqualTo("fake-model");
        Reply second = orbit.post("/v1/chat").apiKey(key).session("s").json(HELLO).send();
        assertThat(second.json().get("metadata").get("model").textValue()).isEqualTo("new-model");
        assertThat(oldProvider.requests()).hasSize(1);
        assertThat(newProvider.requests()).hasSize(1);
    }

    @Test
    void reloadingNeedsAdaptersManageAndIsAudited() {
        Orbit orbit = orbit("internal_services: {audit: {enabled: true, flush_interval_ms: 20}}");
        String analyst = orbit.userWithRoles("ann", "analyst");
        String operator = orbit.userWithRoles("otto", "operator");
        assertThat(orbit.post("/admin/reload-adapters").send().status()).isEqualTo(401);
        assertThat(orbit.post("/admin/reload-adapters").bearer(analyst).send().status()).isEqualTo(403);
        assertThat(orbit.post("/admin/reload-adapters").bearer(operator).send().status()).isEqualTo(200);

        List<String> events = orbit.get("/admin/audit/events?event_type=admin.adapter.reload").bearer(orbit.adminToken())
                .send().json().findValuesAsText("event_type");
        assertThat(events).hasSize(3);
    }
}
