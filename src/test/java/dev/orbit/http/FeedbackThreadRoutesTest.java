package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Feedback buttons and conversation threads as the reference clients use them: the chat app through its proxy
 * (which forwards {@code /api/feedback} as {@code /feedback} and {@code /api/threads} as it is, adding
 * {@code X-API-Key}), and the Node client ({@code X-API-Key}, {@code X-Session-ID}, {@code X-Request-ID}).
 */
class FeedbackThreadRoutesTest extends GatewayTestBase {
    private String key;

    private Orbit start() {
        Orbit orbit = orbit(ClientRoutesTest.CAPABLE);
        key = orbit.createKey("simple-chat");
        return orbit;
    }

    private Orbit.Call app(Orbit.Call call, String sessionId) {
        Orbit.Call c = call.apiKey(key).header("X-User-ID", "anon-5f2c");
        return sessionId == null ? c : c.session(sessionId);
    }

    private Orbit.Call node(Orbit.Call call, String sessionId) {
        return call.apiKey(key).header("X-Request-ID", "mbx1k2abc9").session(sessionId);
    }

    /** A streamed chat turn as the app sends it; returns the final event. */
    private JsonNode chat(Orbit orbit, String sessionId, String text) {
        EventReader events = EventReader.read(app(orbit.post("/v1/chat"), sessionId).header("Accept", "text/event-stream")
                .json(Map.of("messages", List.of(Map.of("role", "user", "content", text)), "stream", true)));
        assertThat(events.status()).isEqualTo(200);
        return events.json().getLast();
    }

    private static Map<String, Object> feedback(String messageId, String sessionId, String type, String comment) {
        Map<String, Object> body = new HashMap<>(Map.of("message_id", messageId, "session_id", sessionId,
                "feedback_type", type));
        if (comment != null) {
            body.put("comment", comment);
        }
        return body;
    }

    @Test
    void theAppsFeedbackButtonsVoteAndReadBack() {
        Orbit orbit = start();
        JsonNode done = chat(orbit, "app-s", "hello");
        String messageId = done.get("assistant_message_id").textValue();
        assertThat(done.get("threading").get("supports_threading").booleanValue()).isTrue();
        assertThat(done.get("threading").get("message_id").textValue()).isEqualTo(messageId);
        assertThat(done.get("threading").get("session_id").textValue()).isEqualTo("app-s");

        Reply up = app(orbit.post("/feedback"), "app-s").json(feedback(messageId, "app-s", "up", null)).send();
        Reply again = app(orbit.post("/feedback"), "app-s").json(feedback(messageId, "app-s", "up", null)).send();
        Reply down = node(orbit.post("/api/feedback"), "app-s").json(feedback(messageId, "app-s", "down", "too terse"))
                .send();
        Reply listed = node(orbit.get("/api/feedback/" + URLEncoder.encode("app-s", StandardCharsets.UTF_8)), "app-s")
                .send();

        assertThat(up.status()).as(up.body()).isEqualTo(200);
        assertThat(up.body()).isEqualTo("{\"message_id\":\"" + messageId
                + "\",\"feedback_type\":\"up\",\"comment\":null,\"action\":\"created\"}");
        assertThat(again.json().get("action").textValue()).isEqualTo("removed");
        assertThat(again.json().get("feedback_type").isNull()).isTrue();
        assertThat(down.json().get("action").textValue()).isEqualTo("created");
        assertThat(down.json().get("comment").textValue()).isEqualTo("too terse");
        assertThat(listed.body()).isEqualTo("{\"feedbacks\":[{\"message_id\":\"" + messageId
                + "\",\"feedback_type\":\"down\",\"comment\":\"too terse\"}]}");
        assertThat(app(orbit.get("/feedback/app-s"), null).send().json()).isEqualTo(listed.json());
    }

    @Test
    void feedbackIsTheSessionKeysOnItsAssistantMessagesOnly() {
        Orbit orbit = start();
        JsonNode done = chat(orbit, "s", "hello");
        String messageId = done.get("assistant_message_id").textValue();
        String other = orbit.createKey("simple-chat");

        assertThat(orbit.post("/api/feedback").apiKey(other).json(feedback(messageId, "s", "up", null)).send().status())
                .isEqualTo(403);
        assertThat(orbit.get("/api/feedback/s").apiKey(other).send().status()).isEqualTo(403);
        assertThat(orbit.post("/api/feedback").json(feedback(messageId, "s", "up", null)).send().status()).isEqualTo(401);
        assertThat(orbit.post("/api/feedback").apiKey(key).json(feedback("no-such-id", "s", "up", null)).send().status())
                .isEqualTo(404);
        assertThat(orbit.post("/api/feedback").apiKey(key).json(feedback(messageId, "s", "sideways", null)).send()
                .status()).isEqualTo(422);
        assertThat(orbit.post("/api/feedback").apiKey(key).json(feedback(messageId, "s", "up", "x".repeat(2001))).send()
                .status()).isEqualTo(422);
        assertThat(orbit.post("/api/feedback").apiKey(key).body("{\"message_id\": 5}").send().status()).isEqualTo(422);
        assertThat(orbit.post("/api/feedback").bearer(key).json(feedback(messageId, "s", "up", "ok")).send().status())
                .as("the key as a bearer token").isEqualTo(200);
    }

    @Test
    void aThreadBranchesFromAnAnswerAndChatsOnInItsOwnSession() {
        Orbit orbit = start();
        String messageId = chat(orbit, "parent", "What is ORBIT?").get("assistant_message_id").textValue();

        Reply created = app(orbit.post("/api/threads"), "parent").json(Map.of("message_id", messageId,
                "session_id", "parent")).send();
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        JsonNode thread = created.json();
        String threadId = thread.get("thread_id").textValue();
        String threadSession = thread.get("thread_session_id").textValue();
        assertThat(thread.get("parent_message_id").textValue()).isEqualTo(messageId);
        assertThat(thread.get("parent_session_id").textValue()).isEqualTo("parent");
        assertThat(thread.get("adapter_name").textValue()).isEqualTo("simple-chat");
        assertThat(thread.get("created_at").textValue()).endsWith("Z");
        assertThat(thread.get("expires_at").textValue()).endsWith("Z");

        JsonNode info = app(orbit.get("/api/threads/" + threadId), null).send().json();
        assertThat(info.get("thread_session_id").textValue()).isEqualTo(threadSession);
        assertThat(info.get("query_context").textValue()).isEqualTo("What is ORBIT?");
        assertThat(info.has("dataset_key")).isTrue();

        chat(orbit, threadSession, "And how do I run it?");
        assertThat(orbit.gateway().services().chatHistory().latest(threadSession, 10))
                .extracting(dev.orbit.service.ChatMessage::content)
                .containsExactly("What is ORBIT?", "Echo: What is ORBIT?", "And how do I run it?",
                        "Echo: And how do I run it?");

        Reply deleted = node(orbit.delete("/api/threads/" + threadId), threadSession).send();
        assertThat(deleted.body()).isEqualTo("{\"status\":\"success\",\"message\":\"Thread deleted\",\"thread_id\":\""
                + threadId + "\"}");
        assertThat(app(orbit.get("/api/threads/" + threadId), null).send().status()).isEqualTo(404);
        assertThat(orbit.gateway().services().chatHistory().latest(threadSession, 10)).isEmpty();
    }

    @Test
    void threadsAreTheirKeysAndStartFromAssistantMessages() {
        Orbit orbit = start();
        chat(orbit, "p", "hi");
        List<dev.orbit.service.ChatMessage> stored = orbit.gateway().services().chatHistory().latest("p", 10);
        String answer = stored.get(1).messageId();
        String question = stored.get(0).messageId();
        String other = orbit.createKey("simple-chat");
        String threadId = orbit.post("/api/threads").apiKey(key).json(Map.of("message_id", answer, "session_id", "p"))
                .send().json().get("thread_id").textValue();

        assertThat(orbit.post("/api/threads").apiKey(key).json(Map.of("message_id", question, "session_id", "p")).send()
                .status()).isEqualTo(400);
        assertThat(orbit.post("/api/threads").apiKey(other).json(Map.of("message_id", answer, "session_id", "p")).send()
                .status()).isEqualTo(403);
        assertThat(orbit.get("/api/threads/" + threadId).apiKey(other).send().status()).isEqualTo(403);
        assertThat(orbit.delete("/api/threads/" + threadId).apiKey(other).send().status()).isEqualTo(403);
        assertThat(orbit.get("/api/threads/" + threadId).send().status()).isEqualTo(401);
        for (String hostile : List.of("nope", "0123456789abcdef01234567", "%22%27%3B--", "%00", "x".repeat(3000))) {
            Reply reply = orbit.get("/api/threads/" + hostile).apiKey(key).send();
            assertThat(reply.status()).as(hostile).isIn(400, 404);
        }
        // Deleting the parent conversation takes the thread with it.
        assertThat(orbit.delete("/admin/conversations/p").apiKey(key).send().status()).isEqualTo(200);
        assertThat(orbit.get("/api/threads/" + threadId).apiKey(key).send().status()).isEqualTo(404);
    }
}
