package dev.orbit.inference;

import static dev.orbit.inference.FakeProviderServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.config.AdaptersConfig;
import dev.orbit.config.ConfigLoader;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdapterRegistryTest {
    private final ProviderFactory factory = new ProviderFactory();

    @AfterEach
    void close() {
        factory.close();
    }

    private AdapterRegistry registry(String yaml) {
        AdaptersConfig config = ConfigLoader.parse(yaml, "config.yaml", Map.of()).adapters();
        return AdapterRegistry.create(config, factory);
    }

    @Test
    void adaptersAreFoundByNameAndListedInConfigurationOrder() {
        AdapterRegistry registry = registry("""
                adapters:
                  - {name: zeta, inference_provider: mock, model: m1}
                  - {name: alpha, inference_provider: ollama, model: m2, enabled: false}
                """);

        assertThat(registry.list()).extracting(Adapter::name).containsExactly("zeta", "alpha");
        assertThat(registry.find("alpha")).map(Adapter::model).contains("m2");
        assertThat(registry.find("alpha")).map(Adapter::providerName).contains("ollama");
        assertThat(registry.find("nope")).isEmpty();
        assertThat(registry.find(null)).isEmpty();
    }

    @Test
    void aDisabledAdapterIsFoundButNotEnabled() {
        AdapterRegistry registry = registry("""
                adapters:
                  - {name: live, inference_provider: mock, model: m}
                  - {name: paused, inference_provider: mock, model: m, enabled: false}
                """);

        assertThat(registry.isEnabled("live")).isTrue();
        assertThat(registry.isEnabled("paused")).isFalse();
        assertThat(registry.isEnabled("missing")).isFalse();
        assertThat(registry.findEnabled("paused")).isEmpty();
        assertThat(registry.find("paused")).isPresent();
    }

    @Test
    void adaptersWithTheSameProviderSettingsShareOneClientAndOverridesGetTheirOwn() {
        AdapterRegistry registry = registry("""
                adapters:
                  - {name: a, model: m1}
                  - {name: b, model: m2}
                  - {name: c, model: m3, base_url: 'http://other:11434'}
                """);

        InferenceProvider a = registry.find("a").orElseThrow().provider();
        assertThat(registry.find("b").orElseThrow().provider()).isSameAs(a);
        assertThat(registry.find("c").orElseThrow().provider()).isNotSameAs(a);
    }

    @Test
    void requestOptionsWinOverTheAdaptersDefaultsWhichFillTheRest() {
        AdapterRegistry registry = registry(
                "adapters: [{name: a, inference_provider: mock, model: m, temperature: 0.3, max_tokens: 200}]");
        Adapter adapter = registry.find("a").orElseThrow();

        InferenceRequest request = adapter.request(List.of(ChatMessage.user("hi")),
                new InferenceOptions(OptionalDouble.of(0.9), OptionalInt.empty()));

        assertThat(request.model()).isEqualTo("m");
        assertThat(request.options()).isEqualTo(InferenceOptions.of(0.9, 200));
        assertThat(adapter.request(List.of(ChatMessage.user("hi")), InferenceOptions.NONE).options())
                .isEqualTo(InferenceOptions.of(0.3, 200));
    }

    @Test
    void aMockAdapterAnswersWithoutAnyServer() {
        Adapter adapter = registry("adapters: [{name: demo, inference_provider: mock, model: m}]")
                .findEnabled("demo").orElseThrow();

        assertThat(adapter.complete(List.of(ChatMessage.user("ping")), InferenceOptions.NONE).text())
                .isEqualTo("Echo: ping");
    }

    @Test
    void anAdapterCallsItsProviderAtItsOverriddenUrlWithItsModelAndDefaults() throws Exception {
        try (FakeProviderServer server = FakeProviderServer.start()) {
            server.respond(json(200, "{\"choices\":[{\"message\":{\"content\":\"pong\"}}],"
                    + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1}}"));
            Adapter adapter = registry("""
                    inference: {openai: {base_url: 'http://127.0.0.1:9/never', api_key: provider-key}}
                    adapters:
                      - {name: local, inference_provider: openai, model: qwen, max_tokens: 32,
                         base_url: '%s', api_key: adapter-key}
                    """.formatted(server.url("/v1"))).findEnabled("local").orElseThrow();

            Completion completion = adapter.complete(List.of(ChatMessage.user("ping")), InferenceOptions.NONE);

            assertThat(completion).isEqualTo(Completion.complete("pong", new Usage(5, 1, false)));
            FakeProviderServer.Recorded request = server.takeRequest();
            assertThat(request.path()).isEqualTo("/v1/chat/completions");
            assertThat(request.headers().getFirst("Authorization")).isEqualTo("Bearer adapter-key");
            assertThat(request.json().get("model").textValue()).isEqualTo("qwen");
            assertThat(request.json().get("max_tokens").intValue()).isEqualTo(32);
        }
    }
}
