package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orbit.service.ChatMessage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CompletionRoutesTest extends GatewayTestBase {
    private final FakeProvider provider = new FakeProvider();

    @AfterEach
    void stopProvider() {
        provider.close();
    }

    private static Map<String, Object> ask(String text, boolean stream) {
        return Map.of("model", "whatever-the-client-says", "stream", stream,
                "messages", List.of(Map.of("role", "system", "content", "client system prompt"),
                        Map.of("role", "user", "content", text)));
    }

    private List<ChatMessage> stored(String sessionId) {
        return orbit().gateway().services().chatHistory().latest(sessionId, 500);
    }

    @Test
    void aCompletionHasTheOpenAiShapeAndTheTurnIsStored() {
        String key = orbit().createKey(Orbit.ADAPTER);

        Reply reply = orbit().post("/v1/chat/completions").bearer(key).session("s").json(ask("hello", false)).send();

        assertThat(reply.status()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(json.get("id").textValue()).startsWith("chatcmpl-");
        assertThat(json.get("object").textValue()).isEqualTo("chat.completion");
        assertThat(json.get("created").isIntegralNumber()).isTrue();
        assertThat(json.get("model").textValue()).isEqualTo("mock-model");
        JsonNode choice = json.get("choices").get(0);
        assertThat(choice.get("index").intValue()).isZero();
        assertThat(choice.get("message").toString()).isEqualTo("{\"role\":\"assistant\",\"content\":\"Echo: hello\"}");
        assertThat(choice.get("finish_reason").textValue()).isEqualTo("stop");
        JsonNode usage = json.get("usage");
        assertThat(usage.get("total_tokens").longValue())
                .isEqualTo(usage.get("prompt_tokens").longValue() + usage.get("completion_tokens").longValue());
        assertThat(stored("s")).extracting(ChatMessage::content).containsExactly("hello", "Echo: hello");
    }

    @Test
    void theProvidersUsageIsReported() {
        Orbit orbit = orbit(ChatRoutesTest.withFakeAdapter(provider));
        String key = orbit.createKey(ChatRoutesTest.FAKE);

        JsonNode usage = orbit.post("/v1/chat/completions").apiKey(key).session("s").json(ask("hi", false)).send()
                .json().get("usage");

        assertThat(usage.toString()).isEqualTo("{\"prompt_tokens\":11,\"completion_tokens\":2,\"total_tokens\":13}");
    }

    @Test
    void aStreamedCompletionIsChunksThenFinishReasonStopThenDone() {
        String key = orbit().createKey(Orbit.ADAPTER);

        EventReader events = EventReader.read(orbit().post("/v1/chat/completions").apiKey(key).session("s")
                .json(ask("stream this", true)));

        assertThat(events.status()).isEqualTo(200);
        assertThat(events.contentType()).startsWith("text/event-stream");
        assertThat(events.data().getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = events.json();
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.get("object").textValue()).isEqualTo("chat.completion.chunk");
            assertThat(c.get("id")).isEqualTo(chunks.getFirst().get("id"));
            assertThat(c.get("model").textValue()).isEqualTo("mock-model");
        });
        assertThat(chunks.getFirst().get("choices").get(0).get("delta").get("role").textValue()).isEqualTo("assistant");
        String text = chunks.stream().map(c -> c.get("choices").get(0).get("delta").path("content").asText(""))
                .reduce("", String::concat);
        assertThat(text).isEqualTo("Echo: stream this");
        JsonNode last = chunks.getLast().get("choices").get(0);
        assertThat(last.get("finish_reason").textValue()).isEqualTo("stop");
        assertThat(last.get("delta").toString()).isEqualTo("{}");
        assertThat(chunks.subList(0, chunks.size() - 1))
                .allSatisfy(c -> assertThat(c.get("choices").get(0).get("finish_reason").isNull()).isTrue());
        assertThat(stored("s")).extracting(ChatMessage::content).containsExactly("stream this", "Echo: stream this");
    }

    @Test
    void aFailingProviderIs502WithoutStoringAndAFailedStreamHasNoDone() {
        Orbit orbit = orbit(ChatRoutesTest.withFakeAdapter(provider));
        String key = orbit.createKey(ChatRoutesTest.FAKE);
        provider.mode(FakeProvider.Mode.FAIL);

        Reply reply = orbit.post("/v1/chat/completions").apiKey(key).session("s").json(ask("hi", false)).send();
        EventReader events = EventReader.read(orbit.post("/v1/chat/completions").apiKey(key).session("s")
                .json(ask("hi", true)));

        assertThat(reply.status()).isEqualTo(502);
        assertThat(events.data()).doesNotContain("[DONE]");
        assertThat(events.json().getLast().get("error").get("message").textValue())
                .isEqualTo("The inference provider failed to answer");
        assertThat(stored("s")).isEmpty();
    }

    @Test
    void aHangingProviderIs504() {
        Orbit orbit = orbit(ChatRoutesTest.withFakeAdapter(provider));
        String key = orbit.createKey(ChatRoutesTest.FAKE);
        provider.mode(FakeProvider.Mode.HANG);

        Reply reply = orbit.post("/v1/chat/completions").apiKey(key).session("s").json(ask("hi", false)).send();

        assertThat(reply.status()).isEqualTo(504);
        assertThat(stored("s")).isEmpty();
    }

    @Test
    void contentAsAListOfTextPartsIsAccepted() {
        String key = orbit().createKey(Orbit.ADAPTER);

        Reply reply = orbit().post("/v1/chat/completions").apiKey(key).session("s").json(Map.of("messages",
                List.of(Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "part one, "),
                        Map.of("type", "text", "text", "part two")))))).send();
        Reply image = orbit().post("/v1/chat/completions").apiKey(key).session("s").json(Map.of("messages",
                List.of(Map.of("role", "user", "content", List.of(Map.of("type", "image_url",
                        "image_url", Map.of("url", "http://x/y.png"))))))).send();

        assertThat(reply.json().get("choices").get(0).get("message").get("content").textValue())
                .isEqualTo("Echo: part one, part two");
        assertThat(image.status()).isEqualTo(422);
    }

    @Test
    void theSameRefusalsAsChatApply() {
        String key = orbit().createKey(Orbit.ADAPTER);

        assertThat(orbit().post("/v1/chat/completions").session("s").json(ask("hi", false)).send().status()).isEqualTo(401);
        assertThat(orbit().post("/v1/chat/completions").apiKey(key).json(ask("hi", false)).send().status()).isEqualTo(400);
        assertThat(orbit().post("/v1/chat/completions").apiKey(key).session("s").body("[").send().status()).isEqualTo(422);
        assertThat(stored("s")).isEmpty();
    }
}
