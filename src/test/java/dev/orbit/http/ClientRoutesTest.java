package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The discovery routes as the reference clients call them: the chat app (orbitchat) through its Node proxy,
 * which adds {@code X-API-Key} and forwards the app's {@code X-User-ID}, {@code X-Session-ID} and sign-in
 * {@code Authorization}; the Node client (node-api), which sends {@code X-Request-ID}, {@code X-API-Key} and
 * {@code X-Session-ID}; and OpenAI SDKs, which send the key as a bearer token.
 */
class ClientRoutesTest extends GatewayTestBase {
    /** The test adapters, the chat adapter with capabilities and a model list, plus one without either. */
    static final String CAPABLE = """
            adapters:
              - {name: simple-chat, inference_provider: mock, model: mock-model, allowed_models: [mock-model, 'org/big:7b'],
                 capabilities: {supports_threading: true, supports_file_ids: false}}
              - {name: retired, enabled: false, inference_provider: mock, model: mock-model}
              - {name: plain, inference_provider: mock, model: 'plain:latest'}
            """;

    private Orbit.Call proxied(Orbit.Call call, String key) {
        // What orbitchat's proxy forwards: its key, the app's user id and the app's own sign-in token.
        return call.apiKey(key).header("X-User-ID", "anon-5f2c").bearer("eyJhbGciOiJSUzI1NiJ9.app-sign-in.token");
    }

    private Orbit.Call nodeClient(Orbit.Call call, String key) {
        return call.apiKey(key).header("X-Request-ID", "mbx1k2abc9").session("node-session-1");
    }

    @Test
    void adapterInfoGivesTheChatAppWhatItNeedsToEnableChat() {
        Orbit orbit = orbit(CAPABLE);
        String key = createKey(orbit, "simple-chat", "the notes");

        Reply reply = proxied(orbit.get("/admin/adapters/info"), key).send();

        assertThat(reply.status()).isEqualTo(200);
        JsonNode info = reply.json();
        assertThat(info.get("adapter_name").textValue()).isEqualTo("simple-chat");
        assertThat(info.get("model").textValue()).isEqualTo("mock-model");
        assertThat(info.get("notes").textValue()).isEqualTo("the notes");
        assertThat(info.get("client_name").textValue()).isEqualTo("web app");
        assertThat(info.get("isFileSupported").booleanValue()).isFalse();
        assertThat(info.get("supportsThreading").booleanValue()).isTrue();
        assertThat(info.get("supportsRealtimeVoice").booleanValue()).isFalse();
        // The proxy's own card refresh sends only the key; node-api's alias route answers the same.
        assertThat(orbit.get("/admin/adapters/info").apiKey(key).send().json()).isEqualTo(info);
        assertThat(nodeClient(orbit.get("/admin/api-keys/info"), key).send().json()).isEqualTo(info);
    }

    @Test
    void adapterInfoWithoutAUsableKeyIs401() {
        String key = orbit().createKey(Orbit.ADAPTER);
        orbit().post("/admin/api-keys/" + key + "/deactivate").bearer(orbit().adminToken()).send();

        for (Orbit.Call call : List.of(orbit().get("/admin/adapters/info"),
                orbit().get("/admin/adapters/info").apiKey("orbit_nope"), orbit().get("/admin/adapters/info").apiKey(key),
                orbit().get("/admin/adapters/info").bearer(orbit().adminToken()))) {
            Reply reply = call.send();
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.detail()).isEqualTo("Invalid or missing API key");
        }
    }

    @Test
    void modelDiscoveryAnswersForTheKeysAdapterWhateverThePathNames() {
        Orbit orbit = orbit(CAPABLE);
        String key = createKey(orbit, "simple-chat", null);
        String plainKey = createKey(orbit, "plain", null);

        // orbitchat puts its card id in the path; the key decides.
        JsonNode restricted = proxied(orbit.get("/admin/adapters/card-7/models"), key).send().json();
        JsonNode open = proxied(orbit.get("/admin/adapters/plain/models"), plainKey).send().json();
        JsonNode all = proxied(orbit.get("/admin/models"), key).send().json();
        Reply unknownSkill = proxied(orbit.get("/admin/adapters/simple-chat/models?skill=web-search"), key).send();

        assertThat(restricted.get("adapter_name").textValue()).isEqualTo("simple-chat");
        assertThat(restricted.get("has_restrictions").booleanValue()).isTrue();
        assertThat(restricted.get("models").findValuesAsText("model")).containsExactly("mock-model", "org/big:7b");
        assertThat(restricted.get("models").findValuesAsText("name")).containsExactly("mock-mock-model", "mock-org-big-7b");
        assertThat(restricted.get("models").findValuesAsText("provider")).containsExactly("mock", "mock");
        assertThat(open.get("has_restrictions").booleanValue()).isFalse();
        assertThat(open.get("models").findValuesAsText("model")).containsExactly("plain:latest");
        // Enabled adapters only, each (provider, model) once.
        assertThat(all.get("models").findValuesAsText("name")).containsExactly("mock-mock-model", "mock-plain-latest");
        assertThat(unknownSkill.status()).isEqualTo(404);
        assertThat(proxied(orbit.get("/admin/models"), "orbit_wrong").send().status()).isEqualTo(401);
    }

    @Test
    void skillDiscoveryIsHonestlyEmpty() {
        String key = orbit().createKey(Orbit.ADAPTER);

        Reply all = proxied(orbit().get("/admin/skills"), key).send();
        Reply routing = proxied(orbit().get("/admin/adapter-skills"), key).send();
        Reply adapter = proxied(orbit().get("/admin/adapters/card-7/skills"), key).send();

        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body()).isEqualTo("{\"skills\":[]}");
        assertThat(routing.body()).isEqualTo("{\"skills\":[]}");
        assertThat(adapter.body()).isEqualTo("{\"adapter_name\":\"simple-chat\",\"available_skills\":[]}");
        assertThat(orbit().get("/admin/skills").send().status()).isEqualTo(401);
    }

    @Test
    void aKeyReadsItsOwnStatusAndNoOtherKeys() {
        String key = orbit().createKey(Orbit.ADAPTER);
        String other = orbit().createKey(Orbit.ADAPTER);

        // node-api's validateApiKey: its own key in the path and in the header.
        Reply own = nodeClient(orbit().get("/admin/api-keys/" + key + "/status"), key).send();
        Reply foreign = nodeClient(orbit().get("/admin/api-keys/" + other + "/status"), key).send();
        orbit().post("/admin/api-keys/" + key + "/deactivate").bearer(orbit().adminToken()).send();
        Reply inactive = nodeClient(orbit().get("/admin/api-keys/" + key + "/status"), key).send();

        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().get("exists").booleanValue()).isTrue();
        assertThat(own.json().get("active").booleanValue()).isTrue();
        assertThat(own.json().get("adapter_name").textValue()).isEqualTo(Orbit.ADAPTER);
        assertThat(own.json().get("client_name").textValue()).isEqualTo("test client");
        assertThat(foreign.status()).isEqualTo(401);
        assertThat(inactive.status()).isEqualTo(200);
        assertThat(inactive.json().get("exists").booleanValue()).isTrue();
        assertThat(inactive.json().get("active").booleanValue()).isFalse();
    }

    @Test
    void askingForTheStatusOfGuessedKeysIsThrottledLikeUsingThem() {
        String key = orbit().createKey(Orbit.ADAPTER);
        for (int i = 0; i < 21; i++) {
            String guess = "orbit_guess" + i;
            Reply reply = nodeClient(orbit().get("/admin/api-keys/" + guess + "/status"), guess).send();
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().get("exists").booleanValue()).isFalse();
        }

        Reply blocked = nodeClient(orbit().get("/admin/api-keys/" + key + "/status"), key).send();

        assertThat(blocked.status()).as("a blocked address learns nothing, not even about a real key").isEqualTo(429);
        assertThat(blocked.header("Retry-After")).isEqualTo("1");
    }

    @Test
    void aKeyCannotReadStatusByRecordId() {
        String key = orbit().createKey(Orbit.ADAPTER);
        String id = orbit().get("/admin/api-keys/" + key + "/detail").bearer(orbit().adminToken()).send().json()
                .get("id").textValue();

        Reply byId = orbit().get("/admin/api-keys/" + id + "/status").apiKey(id).send();

        assertThat(byId.status()).isEqualTo(200);
        assertThat(byId.json().get("exists").booleanValue()).isFalse();
    }

    @Test
    void openAiModelListHasTheKeysAdapter() {
        String key = orbit().createKey(Orbit.ADAPTER);

        Reply list = orbit().get("/v1/models").bearer(key).send();
        Reply one = orbit().get("/v1/models/" + Orbit.ADAPTER).bearer(key).send();
        Reply missing = orbit().get("/v1/models/gpt-4o").bearer(key).send();
        Reply unauthorized = orbit().get("/v1/models").bearer("orbit_wrong").send();

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("object").textValue()).isEqualTo("list");
        JsonNode model = list.json().get("data").get(0);
        assertThat(list.json().get("data").size()).isEqualTo(1);
        assertThat(model.get("id").textValue()).isEqualTo(Orbit.ADAPTER);
        assertThat(model.get("object").textValue()).isEqualTo("model");
        assertThat(model.get("owned_by").textValue()).isEqualTo("mock");
        assertThat(model.get("created").isIntegralNumber()).isTrue();
        assertThat(model.get("created").longValue()).isGreaterThan(1_700_000_000L);
        assertThat(one.json()).isEqualTo(model);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").get("type").textValue()).isEqualTo("not_found_error");
        assertThat(unauthorized.status()).isEqualTo(401);
        assertThat(unauthorized.json().get("error").get("message").textValue()).isEqualTo("Invalid or missing API key");
    }

    @Test
    void readinessSaysTheDatabaseAnswersAndIs503WhenItDoesNot() {
        Reply ready = orbit().get("/health/ready").send();

        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("ready").booleanValue()).isTrue();
        assertThat(ready.json().get("healthy_adapters").intValue()).isEqualTo(1);
        assertThat(ready.json().get("total_adapters").intValue()).isEqualTo(1);

        orbit().gateway().services().database().close();
        Reply down = orbit().get("/health/ready").send();

        assertThat(down.status()).isEqualTo(503);
        assertThat(down.json().get("ready").booleanValue()).isFalse();
        assertThat(orbit().get("/health").send().status()).isEqualTo(200); // the process is up
    }

    @Test
    void theKeySentAsBearerAndAsXApiKeyIsOneKey() {
        String key = orbit().createKey(Orbit.ADAPTER);
        Map<String, Object> ask = Map.of("messages", List.of(Map.of("role", "user", "content", "hi")));

        Reply completions = orbit().post("/v1/chat/completions").bearer(key).apiKey(key).session("s-twice").json(ask).send();
        Reply chat = orbit().post("/v1/chat").bearer(key).apiKey(key).session("s-twice").json(ask).send();
        Reply otherBearer = orbit().post("/v1/chat").bearer("not-a-session-nor-the-key").apiKey(key).session("s-twice")
                .json(ask).send();

        assertThat(completions.status()).as(completions.body()).isEqualTo(200);
        assertThat(chat.status()).as(chat.body()).isEqualTo(200);
        assertThat(orbit().gateway().services().chatHistory().latest("s-twice", 10)).hasSize(4);
        assertThat(otherBearer.status()).isEqualTo(401);
    }

    @Test
    void onTheOpenAiRouteAnotherValidKeyAsBearerLeavesTheHeaderKeyInCharge() {
        String key = orbit().createKey(Orbit.ADAPTER);
        String sdkKey = orbit().createKey(Orbit.ADAPTER);
        Map<String, Object> ask = Map.of("messages", List.of(Map.of("role", "user", "content", "hi")));

        Reply reply = orbit().post("/v1/chat/completions").bearer(sdkKey).apiKey(key).session("s-h").json(ask).send();
        Reply byHeaderKey = orbit().post("/v1/chat/completions").apiKey(key).session("s-h").json(ask).send();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(byHeaderKey.status()).as("the session belongs to the header's key").isEqualTo(200);
    }

    @Test
    void completionErrorsCarryOpenAisErrorObjectBesideDetail() {
        String key = orbit().createKey(Orbit.ADAPTER);

        Reply unauthorized = orbit().post("/v1/chat/completions").bearer("orbit_wrong").session("s")
                .json(Map.of("messages", List.of(Map.of("role", "user", "content", "hi")))).send();
        Reply malformed = orbit().post("/v1/chat/completions").bearer(key).session("s").body("{\"messages\": 3}").send();
        Reply noUser = orbit().post("/v1/chat/completions").bearer(key).session("s")
                .json(Map.of("messages", List.of(Map.of("role", "system", "content", "x")))).send();

        assertThat(unauthorized.status()).isEqualTo(401);
        assertThat(unauthorized.json().get("detail").textValue()).isEqualTo("Invalid or missing API key");
        assertThat(unauthorized.json().get("error").get("message").textValue()).isEqualTo("Invalid or missing API key");
        assertThat(unauthorized.json().get("error").get("type").textValue()).isEqualTo("authentication_error");
        assertThat(malformed.status()).isEqualTo(422);
        assertThat(malformed.json().get("detail").isArray()).isTrue();
        assertThat(malformed.json().get("error").get("message").textValue()).startsWith("body.messages: ");
        assertThat(malformed.json().get("error").get("type").textValue()).isEqualTo("invalid_request_error");
        assertThat(noUser.status()).isEqualTo(400);
        assertThat(noUser.json().get("error").get("message").textValue()).isEqualTo(noUser.detail());
        // ORBIT's own chat route keeps its reference shape.
        assertThat(orbit().post("/v1/chat").bearer("orbit_wrong").session("s").json(Map.of()).send().json().has("error"))
                .isFalse();
    }

    private static String createKey(Orbit orbit, String adapter, String notes) {
        Map<String, Object> body = notes == null ? Map.of("client_name", "web app", "adapter_name", adapter)
                : Map.of("client_name", "web app", "adapter_name", adapter, "notes", notes);
        Reply reply = orbit.post("/admin/api-keys").bearer(orbit.adminToken()).json(body).send();
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().get("api_key").textValue();
    }
}
