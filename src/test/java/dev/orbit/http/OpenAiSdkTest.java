package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.OpenAIException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import dev.orbit.service.ChatMessage;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway driven by the official OpenAI Java SDK, configured as a user of the reference would: the base URL
 * ending in {@code /v1}, the ORBIT API key as the SDK's API key, the session in an {@code X-Session-ID} header.
 */
class OpenAiSdkTest extends GatewayTestBase {
    private final FakeProvider provider = new FakeProvider();

    @AfterEach
    void stopProvider() {
        provider.close();
    }

    private OpenAIClient sdk(String key, UnaryOperator<OpenAIOkHttpClient.Builder> options) {
        return options.apply(OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + orbit().gateway().port() + "/v1")
                .apiKey(key)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(20))).build();
    }

    private OpenAIClient sdk(String key, String sessionId) {
        return sdk(key, b -> b.putHeader("X-Session-ID", sessionId));
    }

    private static ChatCompletionCreateParams ask(String text) {
        return ChatCompletionCreateParams.builder().model(ChatRoutesTest.FAKE).addUserMessage(text).build();
    }

    private static String streamed(OpenAIClient client, ChatCompletionCreateParams params) {
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
        }
        return text.toString();
    }

    @Test
    void plainAndStreamedCompletionsCarryTheSessionsHistory() {
        orbit(ChatRoutesTest.withFakeAdapter(provider));
        String key = orbit().createKey(ChatRoutesTest.FAKE);
        OpenAIClient client = sdk(key, "sdk-session");

        ChatCompletion first = client.chat().completions().create(ask("first question"));
        String second = streamed(client, ask("second question"));

        assertThat(first.choices().getFirst().message().content()).contains("Fake reply");
        assertThat(first.model()).isEqualTo("fake-model");
        assertThat(second).isEqualTo("Fake reply");
        JsonNode sent = provider.requests().get(1).get("messages");
        assertThat(sent.findValuesAsText("content")).containsSubsequence("first question", "Fake reply",
                "second question");
        assertThat(orbit().gateway().services().chatHistory().latest("sdk-session", 10))
                .extracting(ChatMessage::content)
                .containsExactly("first question", "Fake reply", "second question", "Fake reply");
    }

    @Test
    void theKeySentAlsoAsXApiKeyWorks() {
        orbit(ChatRoutesTest.withFakeAdapter(provider));
        String key = orbit().createKey(ChatRoutesTest.FAKE);
        OpenAIClient client = sdk(key, b -> b.putHeader("X-Session-ID", "twice").putHeader("X-API-Key", key));

        assertThat(client.chat().completions().create(ask("hi")).choices().getFirst().message().content())
                .contains("Fake reply");
        assertThat(streamed(client, ask("again"))).isEqualTo("Fake reply");
    }

    @Test
    void errorsReadAsTheGatewaysMessages() {
        orbit(ChatRoutesTest.withFakeAdapter(provider));
        String key = orbit().createKey(ChatRoutesTest.FAKE);

        assertThatThrownBy(() -> sdk("orbit_not-a-key", "s").chat().completions().create(ask("hi")))
                .isInstanceOf(UnauthorizedException.class).hasMessageContaining("Invalid or missing API key");
        assertThatThrownBy(() -> sdk(key, b -> b).chat().completions().create(ask("hi")))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("Session ID is required");
        provider.mode(FakeProvider.Mode.FAIL);
        assertThatThrownBy(() -> streamed(sdk(key, "s-fail"), ask("hi")))
                .isInstanceOf(OpenAIException.class).hasMessageContaining("The inference provider failed to answer");
        assertThatThrownBy(() -> sdk(key, "s-fail").chat().completions().create(ask("hi")))
                .isInstanceOf(OpenAIException.class).hasMessageContaining("The inference provider failed to answer");
    }

    @Test
    void theModelListHasTheKeysAdapter() {
        orbit(ChatRoutesTest.withFakeAdapter(provider));
        String key = orbit().createKey(ChatRoutesTest.FAKE);
        OpenAIClient client = sdk(key, b -> b);

        List<Model> models = client.models().list().data();
        Model one = client.models().retrieve(ChatRoutesTest.FAKE);

        assertThat(models).extracting(Model::id).containsExactly(ChatRoutesTest.FAKE);
        assertThat(models.getFirst().ownedBy()).isEqualTo("openai");
        assertThat(one.id()).isEqualTo(ChatRoutesTest.FAKE);
    }
}
