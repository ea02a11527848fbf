package dev.orbit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.config.InferenceProviderType;
import dev.orbit.config.ProviderSettings;
import dev.orbit.inference.ChatMessage;
import dev.orbit.inference.Completion;
import dev.orbit.inference.InferenceOptions;
import dev.orbit.inference.InferenceProvider;
import dev.orbit.inference.InferenceRequest;
import dev.orbit.inference.MockProvider;
import dev.orbit.inference.ProviderFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The benchmark's fake upstream, called by ORBIT's own OpenAI-compatible client as {@code bin/bench-http} does. */
class FakeOpenAiUpstreamTest {
    private static final String MESSAGE = "What is the capital of France?";
    private static final InferenceRequest REQUEST = new InferenceRequest("bench",
            List.of(ChatMessage.system("Be brief."), ChatMessage.user(MESSAGE)), InferenceOptions.NONE);

    private FakeOpenAiUpstream upstream;
    private ProviderFactory factory;
    private InferenceProvider openai;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeOpenAiUpstream(0, MESSAGE);
        factory = new ProviderFactory();
        openai = factory.provider(InferenceProviderType.OPENAI, new ProviderSettings(
                URI.create("http://127.0.0.1:" + upstream.address().getPort() + "/v1"), Optional.empty(),
                Duration.ofSeconds(5), Duration.ofSeconds(10)));
    }

    @AfterEach
    void stop() {
        factory.close();
        upstream.close();
    }

    @Test
    void itAnswersWhatTheMockProviderWouldAndStreamsItInTheMocksPieces() {
        String reply = MockProvider.reply(List.of(ChatMessage.user(MESSAGE)));
        List<String> deltas = new ArrayList<>();

        Completion plain = openai.complete(REQUEST);
        Completion streamed = openai.stream(REQUEST, deltas::add);

        assertThat(plain.text()).isEqualTo(reply);
        assertThat(streamed.text()).isEqualTo(reply);
        assertThat(deltas).isEqualTo(MockProvider.pieces(reply)).hasSizeGreaterThan(3);
        assertThat(streamed.usage()).isEqualTo(plain.usage());
        assertThat(plain.usage().estimated()).as("the upstream's own counts").isFalse();
    }

    @Test
    void theGatewaysClientKeepsOneConnectionForCallsOneAfterAnother() {
        // Many calls: the client once handed over a body's end before its connection was back in the pool, and a
        // call made at once then opened a second connection now and then (mostly on a busy machine).
        for (int i = 0; i < 50; i++) {
            openai.complete(REQUEST);
            openai.stream(REQUEST, delta -> true);
        }

        assertThat(upstream.stats()).isEqualTo(new FakeOpenAiUpstream.Stats(1, 100, 50));
    }
}
