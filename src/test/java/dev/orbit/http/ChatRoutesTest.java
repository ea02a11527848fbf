package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orbit.service.ChatMessage;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChatRoutesTest extends GatewayTestBase {
    static final String FAKE = "fake";

    private final FakeProvider provider = new FakeProvider();

    @AfterEach
    void stopProvider() {
        provider.close();
    }

    /** The test adapters plus {@code fake}, an OpenAI-compatible adapter on the fake provider (a 2 s timeout: a
     *  shorter one gave a 504 to answered turns on a machine at load 25). */
    static String withFakeAdapter(FakeProvider provider) {
        return """
                adapters:
                  - {name: %s, inference_provider: mock, model: mock-model}
                  - {name: %s, enabled: false, inference_provider: mock, model: mock-model}
                  - {name: %s, inference_provider: openai, model: fake-model, base_url: '%s', request_timeout_ms: 2000}
                """.formatted(Orbit.ADAPTER, Orbit.DISABLED_ADAPTER, FAKE, provider.baseUrl());
    }

    private static Map<String, Object> ask(String text) {
        return Map.of("messages", List.of(Map.of("role", "user", "content", text)));
    }

    private List<ChatMessage> stored(String sessionId) {
        return orbit().gateway().services().chatHistory().latest(sessionId, 500);
    }

    @Test
    void aChatTurnRepliesAndStoresExactlyOneUserAndAssistantPair() {
        String key = orbit().createKey(Orbit.ADAPTER);

        Reply reply = orbit().post("/v1/chat").apiKey(key).session("s-1").header("X-User-ID", "user-7")
                .header("X-Request-ID", "rid-chat").json(ask("hello there")).send();

        assertThat(reply.status()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(json.get("response").textValue()).isEqualTo("Echo: hello there");
        assertThat(json.get("sources").toString()).isEqualTo("[]");
        assertThat(json.get("metadata").get("adapter_name").textValue()).isEqualTo(Orbit.ADAPTER);
        assertThat(json.get("metadata").get("model").textValue()).isEqualTo("mock-model");
        assertThat(json.get("metadata").get("session_id").textValue()).isEqualTo("s-1");
        List<ChatMessage> messages = stored("s-1");
        assertThat(messages).extracting(ChatMessage::role, ChatMessage::content).containsExactly(
                org.assertj.core.groups.Tuple.tuple("user", "hello there"),
                org.assertj.core.groups.Tuple.tuple("assistant", "Echo: hello there"));
        assertThat(json.get("assistant_message_id").textValue()).isEqualTo(messages.get(1).messageId());
        assertThat(messages).allSatisfy(m -> assertThat(m.userId()).isEqualTo("user-7"));
        Map<String, Object> metadata = messages.get(1).metadata();
        assertThat(metadata).containsEntry("adapter_name", Orbit.ADAPTER).containsEntry("model", "mock-model")
                .containsEntry("client_ip", "127.0.0.1").containsEntry("request_id", "rid-chat")
                .containsKey("processing_time");
    }

    @Test
    void theStoredHistoryIsTheContextAndOnlyTheLastUserMessageIsNew() {
        Orbit orbit = orbit(withFakeAdapter(provider));
        String key = orbit.createKey(FAKE);
        orbit.post("/v1/chat").apiKey(key).session("s").json(ask("first question")).send();

        Reply second = orbit.post("/v1/chat").apiKey(key).session("s").json(Map.of("messages", List.of(
                Map.of("role", "user", "content", "ignored: the client's copy of history"),
                Map.of("role", "assistant", "content", "ignored too"),
                Map.of("role", "user", "content", "second question")))).send();

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("response").textValue()).isEqualTo("Fake reply");
        JsonNode sent = provider.requests().get(1).get("messages");
        assertThat(sent).extracting(m -> m.get("role").textValue() + ": " + m.get("content").textValue())
                .containsExactly("system: You are a helpful assistant.", "user: first question",
                        "assistant: Fake reply", "user: second question");
        assertThat(provider.requests().get(1).get("model").textValue()).isEqualTo("fake-model");
        assertThat(stored("s")).hasSize(4);
    }

    @Test
    void theContextIsAtMostTheConfiguredNumberOfNewestMessages() {
        Orbit orbit = orbit(withFakeAdapter(provider) + "chat_history: {default_limit: 2}\n");
        String key = orbit.createKey(FAKE);
        orbit.post("/v1/chat").apiKey(key).session("s").json(ask("one")).send();
        orbit.post("/v1/chat").apiKey(key).session("s").json(ask("two")).send();

        orbit.post("/v1/chat").apiKey(key).session("s").json(ask("three")).send();

        assertThat(provider.requests().get(2).get("messages")).extracting(m -> m.get("content").textValue())
                .containsExactly("You are a helpful assistant.", "two", "Fake reply", "three");
    }

    @Test
    void theContextIsTheNewestHistoryThatFitsTheAdaptersContextWindow() {
        // 512 tokens less 350 for the prompt: 162 tokens of history, so the 200-token first question is left out.
        Orbit orbit = orbit(withFakeAdapter(provider) + """
                  - {name: small, inference_provider: openai, model: fake-model, base_url: '%s', context_window: 512}
                """.formatted(provider.baseUrl()));
        String key = orbit.createKey("small");
        orbit.post("/v1/chat").apiKey(key).session("s").json(ask("x".repeat(800))).send();
        orbit.post("/v1/chat").apiKey(key).session("s").json(ask("two")).send();

        orbit.post("/v1/chat").apiKey(key).session("s").json(ask("three")).send();

        assertThat(provider.requests().get(2).get("messages")).extracting(m -> m.get("content").textValue())
                .containsExactly("You are a helpful assistant.", "Fake reply", "two", "Fake reply", "three");
        assertThat(stored("s")).hasSize(6);
    }

    @Test
    void sessionAndUserHeadersSentAsUtf8BytesAreReadAsUtf8() {
        String key = orbit().createKey(Orbit.ADAPTER);
        String body = "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
        byte[] bodyBytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);

        String answer = RawHttp.send(orbit(), "POST /v1/chat HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key
                + "\r\nX-Session-ID: s\u00e9\ud83d\ude00\r\nX-User-ID: J\u00fcrgen\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + bodyBytes.length + "\r\nConnection: close\r\n\r\n" + body);

        assertThat(RawHttp.status(answer)).as(answer).isEqualTo(200);
        assertThat(stored("s\u00e9\ud83d\ude00")).hasSize(2).allSatisfy(m -> assertThat(m.userId()).isEqualTo("J\u00fcrgen"));
    }

    @Test
    void theKeysSystemPromptIsSentInsteadOfTheDefault() {
        Orbit orbit = orbit(withFakeAdapter(provider));
        String key = orbit.createKey(FAKE);
        String prompt = orbit.post("/admin/prompts").bearer(orbit.adminToken())
                .json(Map.of("name", "pirate", "prompt", "Talk like a pirate.")).send().json().get("id").textValue();
        orbit.post("/admin/api-keys/" + key + "/prompt").bearer(orbit.adminToken()).json(Map.of("prompt_id", prompt)).send();

        orbit.post("/v1/chat").apiKey(key).session("s").json(ask("hi")).send();

        assertThat(provider.requests().get(0).get("messages").get(0).get("content").textValue())
                .isEqualTo("Talk like a pirate.");
    }

    @Test
    void aStreamedReplyIsRequestIdThenPiecesThenDoneAndTheWholeTextIsStored() {
        String key = orbit().createKey(Orbit.ADAPTER);

        EventReader events = EventReader.read(orbit().post("/v1/chat").apiKey(key).session("s-2")
                .header("X-Request-ID", "rid-stream").json(Map.of("messages",
                        List.of(Map.of("role", "user", "content", "stream me please")), "stream", true)));

        assertThat(events.status()).isEqualTo(200);
        assertThat(events.contentType()).startsWith("text/event-stream");
        List<JsonNode> json = events.json();
        assertThat(json.getFirst().toString()).isEqualTo("{\"request_id\":\"rid-stream\"}");
        List<JsonNode> pieces = json.subList(1, json.size() - 1);
        assertThat(pieces).allSatisfy(p -> assertThat(p.get("done").booleanValue()).isFalse());
        assertThat(pieces.stream().map(p -> p.get("response").textValue()).reduce("", String::concat))
                .isEqualTo("Echo: stream me please");
        assertThat(pieces).hasSizeGreaterThan(1);
        JsonNode done = json.getLast();
        assertThat(done.get("done").booleanValue()).isTrue();
        assertThat(events.data()).doesNotContain("[DONE]");
        List<ChatMessage> messages = stored("s-2");
        assertThat(messages).extracting(ChatMessage::content).containsExactly("stream me please",
                "Echo: stream me please");
        assertThat(done.get("assistant_message_id").textValue()).isEqualTo(messages.get(1).messageId());
    }

    @Test
    void withoutASessionIdTheRequestIs400() {
        String key = orbit().createKey(Orbit.ADAPTER);

        Reply reply = orbit().post("/v1/chat").apiKey(key).json(ask("hi")).send();

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.detail()).startsWith("Session ID is required");
    }

    @Test
    void aMissingInvalidInactiveOrDisabledKeyIs401() {
        String inactive = orbit().createKey(Orbit.ADAPTER);
        orbit().post("/admin/api-keys/" + inactive + "/deactivate").bearer(orbit().adminToken()).send();
        String disabled = orbit().createKey(Orbit.DISABLED_ADAPTER);

        List<Reply> replies = List.of(orbit().post("/v1/chat").session("s").json(ask("hi")).send(),
                orbit().post("/v1/chat").apiKey("orbit_nope").session("s").json(ask("hi")).send(),
                orbit().post("/v1/chat").apiKey(inactive).session("s").json(ask("hi")).send(),
                orbit().post("/v1/chat").apiKey(disabled).session("s").json(ask("hi")).send());

        assertThat(replies).allSatisfy(reply -> {
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.detail()).isEqualTo("Invalid or missing API key");
        });
        assertThat(stored("s")).isEmpty();
    }

    @Test
    void theKeyMayComeAsABearerTokenAndAUserSessionWithAKeyRecordsThatUser() {
        String key = orbit().createKey(Orbit.ADAPTER);
        String userToken = orbit().userWithRoles("lena", "user");
        String lenaId = orbit().get("/auth/me").bearer(userToken).send().json().get("id").textValue();

        Reply asBearer = orbit().post("/v1/chat").bearer(key).session("a").json(ask("hi")).send();
        Reply withUser = orbit().post("/v1/chat").apiKey(key).bearer(userToken).header("X-User-ID", "spoofed")
                .session("b").json(ask("hi")).send();
        Reply badUser = orbit().post("/v1/chat").apiKey(key).bearer("0".repeat(64)).session("c").json(ask("hi")).send();

        assertThat(asBearer.status()).isEqualTo(200);
        assertThat(withUser.status()).isEqualTo(200);
        assertThat(stored("b")).allSatisfy(m -> assertThat(m.userId()).isEqualTo(lenaId));
        assertThat(badUser.status()).isEqualTo(401);
    }

    @Test
    void anotherKeysSessionIs403BeforeTheProviderIsAsked() {
        Orbit orbit = orbit(withFakeAdapter(provider));
        String owner = orbit.createKey(FAKE);
        String intruder = orbit.createKey(FAKE);
        orbit.post("/v1/chat").apiKey(owner).session("private").json(ask("mine")).send();

        Reply reply = orbit.post("/v1/chat").apiKey(intruder).session("private").json(ask("let me in")).send();
        EventReader streamed = EventReader.read(orbit.post("/v1/chat").apiKey(intruder).session("private")
                .json(Map.of("messages", List.of(Map.of("role", "user", "content", "x")), "stream", true)));

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.detail()).isEqualTo("Access denied");
        assertThat(streamed.status()).isEqualTo(403);
        assertThat(provider.requests()).hasSize(1);
        assertThat(stored("private")).hasSize(2);
    }

    private String userId(String token) {
        return orbit().get("/auth/me").bearer(token).send().json().get("id").textValue();
    }

    private List<String> sessionsOf(String userId) {
        Reply reply = orbit().get("/admin/chat-history?user_id=" + userId).bearer(orbit().adminToken()).send();
        List<String> out = new java.util.ArrayList<>();
        reply.json().get("sessions").forEach(s -> out.add(s.get("session_id").textValue()));
        return out;
    }

    @Test
    void aSessionStartedByAVerifiedUserIsRefusedToAnotherUserOfTheSameKeyBeforeTheProviderIsAsked() {
        Orbit orbit = orbit(withFakeAdapter(provider));
        String alice = orbit.userWithRoles("alice", "user");
        String bob = orbit.userWithRoles("bob", "user");
        String aliceId = userId(alice);
        String bobId = userId(bob);
        String key = orbit.post("/admin/api-keys").bearer(orbit.adminToken()).json(Map.of("client_name", "shared",
                "adapter_name", FAKE, "allowed_user_ids", List.of(aliceId, bobId))).send().json().get("api_key").textValue();
        assertThat(orbit.post("/v1/chat").apiKey(key).bearer(alice).session("S").json(ask("alice's secret")).send()
                .status()).isEqualTo(200);

        Reply verified = orbit.post("/v1/chat").apiKey(key).bearer(bob).session("S").json(ask("what did she say?")).send();
        Reply asserted = orbit.post("/v1/chat").apiKey(key).header("X-User-ID", bobId).session("S")
                .json(ask("and now?")).send();
        EventReader streamed = EventReader.read(orbit.post("/v1/chat").apiKey(key).bearer(bob).session("S")
                .json(Map.of("messages", List.of(Map.of("role", "user", "content", "x")), "stream", true)));

        assertThat(verified.status()).isEqualTo(403);
        assertThat(verified.detail()).isEqualTo("Access denied");
        assertThat(asserted.status()).isEqualTo(403);
        assertThat(streamed.status()).isEqualTo(403);
        assertThat(provider.requests()).as("the model saw alice's turn only").hasSize(1);
        assertThat(stored("S")).hasSize(2).allSatisfy(m -> assertThat(m.userId()).isEqualTo(aliceId));
        assertThat(sessionsOf(aliceId)).containsExactly("S");
        assertThat(sessionsOf(bobId)).isEmpty();
        // Alice carries on, with her history.
        assertThat(orbit.post("/v1/chat").apiKey(key).bearer(alice).session("S").json(ask("more")).send().status())
                .isEqualTo(200);
        assertThat(provider.requests().get(1).get("messages").toString()).contains("alice's secret");
    }

    @Test
    void aSessionStartedForAnAssertedUserIsRefusedToOtherUsersAndToRequestsNamingNone() {
        Orbit orbit = orbit(withFakeAdapter(provider));
        String key = orbit.createKey(FAKE);
        String bob = orbit.userWithRoles("bob", "user");
        assertThat(orbit.post("/v1/chat").apiKey(key).header("X-User-ID", "u-1").session("S").json(ask("mine")).send()
                .status()).isEqualTo(200);

        Reply otherAsserted = orbit.post("/v1/chat").apiKey(key).header("X-User-ID", "u-2").session("S")
                .json(ask("x")).send();
        Reply verified = orbit.post("/v1/chat").apiKey(key).bearer(bob).session("S").json(ask("x")).send();
        Reply nobody = orbit.post("/v1/chat").apiKey(key).session("S").json(ask("x")).send();
        Reply same = orbit.post("/v1/chat").apiKey(key).header("X-User-ID", "u-1").session("S").json(ask("again")).send();

        assertThat(List.of(otherAsserted.status(), verified.status(), nobody.status(), same.status()))
                .containsExactly(403, 403, 403, 200);
        assertThat(provider.requests()).hasSize(2);
        assertThat(sessionsOf("u-1")).containsExactly("S");
        assertThat(sessionsOf("u-2")).isEmpty();
    }

    @Test
    void aSessionStartedWithoutAUserBelongsToTheKeyAlone() {
        String key = orbit().createKey(Orbit.ADAPTER);
        Reply first = orbit().post("/v1/chat").apiKey(key).session("S").json(ask("hi")).send();
        Reply withUser = orbit().post("/v1/chat").apiKey(key).header("X-User-ID", "u-1").session("S").json(ask("hi")).send();
        Reply other = orbit().post("/v1/chat").apiKey(key).header("X-User-ID", "u-2").session("S").json(ask("hi")).send();

        assertThat(List.of(first.status(), withUser.status(), other.status())).containsExactly(200, 200, 200);
        assertThat(stored("S")).hasSize(6);
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyGetsTheStoredReplyWithoutAskingTheModelAgain() {
        Orbit orbit = orbit(withFakeAdapter(provider));
        String key = orbit.createKey(FAKE);

        Reply first = orbit.post("/v1/chat").apiKey(key).session("S").header("Idempotency-Key", "turn-1")
                .json(ask("hello")).send();
        Reply retry = orbit.post("/v1/chat").apiKey(key).session("S").header("Idempotency-Key", "turn-1")
                .json(ask("hello")).send();
        EventReader streamedRetry = EventReader.read(orbit.post("/v1/chat").apiKey(key).session("S")
                .header("Idempotency-Key", "turn-1")
                .json(Map.of("messages", List.of(Map.of("role", "user", "content", "hello")), "stream", true)));
        Reply sameWords = orbit.post("/v1/chat").apiKey(key).session("S").json(ask("hello")).send();
        Reply tooLong = orbit.post("/v1/chat").apiKey(key).session("S").header("Idempotency-Key", "k".repeat(300))
                .json(ask("hello")).send();

        assertThat(first.status()).isEqualTo(200);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json().get("assistant_message_id").textValue())
                .isEqualTo(first.json().get("assistant_message_id").textValue());
        assertThat(retry.json().get("response").textValue()).isEqualTo("Fake reply");
        assertThat(streamedRetry.status()).isEqualTo(200);
        assertThat(streamedRetry.json().getLast().get("assistant_message_id").textValue())
                .isEqualTo(first.json().get("assistant_message_id").textValue());
        assertThat(sameWords.status()).as("the same words without a key are a new turn").isEqualTo(200);
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(provider.requests()).hasSize(2);
        assertThat(stored("S")).hasSize(4);
    }

    @Test
    void aKeyWithAnAllowListServesOnlyTheListedUsers() {
        String key = orbit().post("/admin/api-keys").bearer(orbit().adminToken()).json(Map.of("client_name", "c",
                "adapter_name", Orbit.ADAPTER, "allowed_user_ids", List.of("u-1"))).send().json().get("api_key").textValue();

        Reply listed = orbit().post("/v1/chat").apiKey(key).session("s1").header("X-User-ID", "u-1").json(ask("hi")).send();
        Reply other = orbit().post("/v1/chat").apiKey(key).session("s2").header("X-User-ID", "u-2").json(ask("hi")).send();
        Reply anonymous = orbit().post("/v1/chat").apiKey(key).session("s3").json(ask("hi")).send();

        assertThat(listed.status()).isEqualTo(200);
        assertThat(other.status()).isEqualTo(403);
        assertThat(anonymous.status()).isEqualTo(403);
    }

    @Test
    void aBodyWithoutAUserMessageIs400AndAMalformedOneIs422() {
        String key = orbit().createKey(Orbit.ADAPTER);

        Reply noUser = orbit().post("/v1/chat").apiKey(key).session("s")
                .json(Map.of("messages", List.of(Map.of("role", "system", "content", "x")))).send();
        Reply empty = orbit().post("/v1/chat").apiKey(key).session("s").json(Map.of("messages", List.of())).send();
        Reply noMessages = orbit().post("/v1/chat").apiKey(key).session("s").json(Map.of("stream", false)).send();
        Reply wrongContent = orbit().post("/v1/chat").apiKey(key).session("s")
                .body("{\"messages\": [{\"role\": \"user\", \"content\": 5}]}").send();
        Reply wrongStream = orbit().post("/v1/chat").apiKey(key).session("s")
                .body("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"stream\": \"yes\"}").send();
        Reply temperature = orbit().post("/v1/chat").apiKey(key).session("s")
                .body("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"temperature\": 9}").send();
        Reply broken = orbit().post("/v1/chat").apiKey(key).session("s").body("{\"messages\": [").send();

        assertThat(noUser.status()).isEqualTo(400);
        assertThat(noUser.detail()).isEqualTo("No user message found in request");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(noMessages.status()).isEqualTo(422);
        assertThat(wrongContent.status()).isEqualTo(422);
        assertThat(wrongContent.json().get("detail").get(0).get("loc").toString())
                .isEqualTo("[\"body\",\"messages\",0,\"content\"]");
        assertThat(wrongStream.status()).isEqualTo(422);
        assertThat(temperature.status()).isEqualTo(422);
        assertThat(broken.status()).isEqualTo(422);
        assertThat(stored("s")).isEmpty();
    }

    @Test
    void aFailingProviderIs502AndNothingIsStored() {
        Orbit orbit = orbit(withFakeAdapter(provider));
        String key = orbit.createKey(FAKE);
        provider.mode(FakeProvider.Mode.FAIL);

        Reply reply = orbit.post("/v1/chat").apiKey(key).session("s").json(ask("hi")).send();

        assertThat(reply.status()).isEqualTo(502);
        assertThat(reply.detail()).isEqualTo("The inference provider failed to answer");
        assertThat(reply.body()).doesNotContain("127.0.0.1", "model exploded");
        assertThat(stored("s")).isEmpty();
    }

    @Test
    void aProviderThatDoesNotAnswerInTimeIs504AndNothingIsStored() {
        Orbit orbit = orbit(withFakeAdapter(provider));
        String key = orbit.createKey(FAKE);
        provider.mode(FakeProvider.Mode.HANG);

        Reply reply = orbit.post("/v1/chat").apiKey(key).session("s").json(ask("hi")).send();

        assertThat(reply.status()).isEqualTo(504);
        assertThat(reply.detail()).isEqualTo("The inference provider did not answer in time");
        assertThat(stored("s")).isEmpty();
    }

    @Test
    void aStreamThatBreaksOffEndsWithAnErrorEventAndNothingIsStored() {
        Orbit orbit = orbit(withFakeAdapter(provider));
        String key = orbit.createKey(FAKE);
        provider.mode(FakeProvider.Mode.BREAK_OFF);

        EventReader events = EventReader.read(orbit.post("/v1/chat").apiKey(key).session("s")
                .json(Map.of("messages", List.of(Map.of("role", "user", "content", "x")), "stream", true)));

        assertThat(events.status()).isEqualTo(200);
        JsonNode last = events.json().getLast();
        assertThat(last.get("done").booleanValue()).isTrue();
        assertThat(last.get("error").textValue()).isEqualTo("The inference provider failed to answer");
        assertThat(stored("s")).isEmpty();
    }

    @Test
    void aStreamedPieceReachesTheClientWhileTheProviderWaitsForTheNext() throws Exception {
        // Time for a busy machine: the wait for the first piece below is what the test is about, not the timeout.
        Orbit orbit = orbit(withFakeAdapter(provider).replace("request_timeout_ms: 2000", "request_timeout_ms: 15000"));
        String key = orbit.createKey(FAKE);
        provider.mode(FakeProvider.Mode.FIRST_THEN_HOLD);
        Orbit.Call call = orbit.post("/v1/chat").apiKey(key).session("s")
                .json(Map.of("messages", List.of(Map.of("role", "user", "content", "x")), "stream", true));

        HttpResponse<Stream<String>> response = orbit.client().send(call.request(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = response.body()) {
            Iterator<String> data = lines.filter(line -> line.startsWith("data: ")).iterator();
            // The provider sends its second piece only once the client has its first: a relay that held the first
            // while it waited would leave the client waiting here.
            CompletableFuture<List<String>> firstTwo = CompletableFuture.supplyAsync(() -> List.of(data.next(), data.next()));
            assertThat(firstTwo.get(5, TimeUnit.SECONDS).get(1)).isEqualTo("data: {\"response\":\"Fake\",\"done\":false}");
            provider.release();
            assertThat(data.next()).isEqualTo("data: {\"response\":\" reply\",\"done\":false}");
            assertThat(data.next()).contains("\"done\":true");
        } finally {
            provider.release();
        }
        assertThat(stored("s")).extracting(ChatMessage::content).containsExactly("x", "Fake reply");
    }

    @Test
    void aStreamWhoseProviderHangsEndsWithATimeoutErrorEvent() {
        Orbit orbit = orbit(withFakeAdapter(provider));
        String key = orbit.createKey(FAKE);
        provider.mode(FakeProvider.Mode.HANG);

        EventReader events = EventReader.read(orbit.post("/v1/chat").apiKey(key).session("s")
                .json(Map.of("messages", List.of(Map.of("role", "user", "content", "x")), "stream", true)));

        assertThat(events.json()).extracting(JsonNode::toString).containsExactly(
                "{\"request_id\":\"" + events.json().getFirst().get("request_id").textValue() + "\"}",
                "{\"error\":\"The inference provider did not answer in time\",\"done\":true}");
        assertThat(stored("s")).isEmpty();
    }

    @Test
    void withHistoryOffTheTurnIsAnsweredButNotStored() {
        Orbit orbit = orbit("chat_history: {enabled: false}");
        String key = orbit.createKey(Orbit.ADAPTER);

        Reply reply = orbit.post("/v1/chat").apiKey(key).session("s").json(ask("hi")).send();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("assistant_message_id").isNull()).isTrue();
        assertThat(stored("s")).isEmpty();
    }

    @Test
    void manyConcurrentTurnsInOneSessionAreAllStoredInPairs() throws Exception {
        String key = orbit().createKey(Orbit.ADAPTER);
        List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> replies = new java.util.ArrayList<>();
        for (int i = 0; i < 32; i++) {
            replies.add(orbit().client().sendAsync(orbit().post("/v1/chat").apiKey(key).session("busy")
                    .json(ask("question " + i)).request(), java.net.http.HttpResponse.BodyHandlers.ofString()));
        }
        for (var reply : replies) {
            assertThat(reply.get(60, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }

        List<ChatMessage> messages = stored("busy");
        assertThat(messages).hasSize(64);
        assertThat(messages.stream().filter(m -> m.role().equals("user")).map(ChatMessage::content))
                .hasSize(32).doesNotHaveDuplicates();
    }

    @Test
    void hostileSessionAndUserIdsAreClientErrors() {
        String key = orbit().createKey(Orbit.ADAPTER);

        Reply longSession = orbit().post("/v1/chat").apiKey(key).session("s".repeat(300)).json(ask("hi")).send();
        Reply longUser = orbit().post("/v1/chat").apiKey(key).session("s").header("X-User-ID", "u".repeat(300))
                .json(ask("hi")).send();
        Reply odd = orbit().post("/v1/chat").apiKey(key).session("../\"quoted\" $where {}").json(ask("hi")).send();

        assertThat(longSession.status()).isEqualTo(400);
        assertThat(longUser.status()).isEqualTo(400);
        assertThat(odd.status()).isEqualTo(200);
        assertThat(stored("../\"quoted\" $where {}")).hasSize(2);
    }
}
