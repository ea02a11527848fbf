package dev.orbit.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.config.InferenceProviderType;
import dev.orbit.config.ProviderSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProviderFactoryTest {
    private static final InferenceRequest REQUEST = new InferenceRequest("m", List.of(ChatMessage.user("hi")),
            InferenceOptions.NONE);

    @Test
    void eachProviderTypeIsBuiltUnderItsName() {
        ProviderSettings settings = new ProviderSettings(URI.create("http://127.0.0.1:1"), Optional.empty(),
                Duration.ofSeconds(1), Duration.ofSeconds(1));
        try (ProviderFactory factory = new ProviderFactory()) {
            assertThat(factory.provider(InferenceProviderType.OLLAMA, settings).name()).isEqualTo("ollama");
            assertThat(factory.provider(InferenceProviderType.OPENAI, settings).name()).isEqualTo("openai");
            assertThat(factory.provider(InferenceProviderType.MOCK, null).name()).isEqualTo("mock");
        }
    }

    @Test
    void aCallMayStaySilentLongerThanTheKeepAliveWithinItsRequestTimeout() throws Exception {
        try (FakeProviderServer server = FakeProviderServer.start();
             ProviderFactory factory = new ProviderFactory(Duration.ofMillis(200))) {
            server.respond(exchange -> {
                Thread.sleep(Duration.ofMillis(1_000)); // a slow first token: far past the keep-alive
                FakeProviderServer.json(200, "{\"choices\":[{\"message\":{\"content\":\"late\"}}]}")
                        .respond(exchange);
            });
            InferenceProvider provider = factory.provider(InferenceProviderType.OPENAI, new ProviderSettings(
                    server.url("/v1"), Optional.empty(), Duration.ofSeconds(5), Duration.ofSeconds(30)));

            assertThat(provider.complete(REQUEST).text()).isEqualTo("late");
        }
    }

    @Test
    void closingTheFactoryEndsACallStillWaitingForItsProvider() throws Exception {
        try (FakeProviderServer server = FakeProviderServer.start()) {
            server.respond(server.silent());
            ProviderFactory factory = new ProviderFactory();
            InferenceProvider provider = factory.provider(InferenceProviderType.OLLAMA, new ProviderSettings(
                    server.url(""), Optional.empty(), Duration.ofSeconds(5), Duration.ofMinutes(10)));
            CompletableFuture<Completion> call = CompletableFuture.supplyAsync(() -> provider.complete(REQUEST));
            server.takeRequest();

            factory.close();

            assertThat(call).failsWithin(10, TimeUnit.SECONDS)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(InferenceFailedException.class);
        }
    }
}
