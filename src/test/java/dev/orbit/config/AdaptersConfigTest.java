package dev.orbit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class AdaptersConfigTest {
    private static final Path SHIPPED = Path.of("config/config.yaml");

    private static AdaptersConfig parse(String yaml) {
        return parse(yaml, Map.of());
    }

    private static AdaptersConfig parse(String yaml, Map<String, String> env) {
        return ConfigLoader.parse(yaml, "config.yaml", env).adapters();
    }

    @Test
    void anAbsentSectionMeansNoAdaptersAndDefaultProviderSettings() {
        AdaptersConfig config = parse("");

        assertThat(config.adapters()).isEmpty();
        assertThat(config.ollama()).isEqualTo(new ProviderSettings(URI.create("http://localhost:11434"),
                Optional.empty(), Duration.ofSeconds(5), Duration.ofSeconds(120)));
        assertThat(config.openai().baseUrl()).isEqualTo(URI.create("https://api.openai.com/v1"));
    }

    @Test
    void everyAdapterKeyIsRead() {
        AdaptersConfig config = parse("""
                adapters:
                  - name: qa
                    enabled: false
                    inference_provider: openai
                    model: gpt-4o-mini
                    temperature: 0.2
                    max_tokens: 512
                    base_url: http://vllm.local:8000/v1/
                    api_key: adapter-key
                    request_timeout_ms: 3000
                    context_window: 16384
                """);

        assertThat(config.adapters()).containsExactly(new AdapterConfig("qa", false, InferenceProviderType.OPENAI,
                "gpt-4o-mini", OptionalDouble.of(0.2), OptionalInt.of(512),
                Optional.of(URI.create("http://vllm.local:8000/v1")), Optional.of(new Secret("adapter-key")),
                Optional.of(Duration.ofSeconds(3)), OptionalInt.of(16_384)));
    }

    @Test
    void theContextWindowComesFromTheAdapterThenItsProviderSection() {
        AdaptersConfig config = parse("""
                inference:
                  ollama: {num_ctx: 8192, context_window: 2048}
                  openai: {context_window: 64000}
                adapters:
                  - {name: local, model: m}
                  - {name: big-local, model: m, context_window: 32768}
                  - {name: cloud, inference_provider: openai, model: m}
                  - {name: echo, inference_provider: mock, model: m}
                """);

        assertThat(config.adapters()).extracting(AdapterConfig::contextWindow).containsExactly(
                OptionalInt.of(8192), OptionalInt.of(32_768), OptionalInt.of(64_000), OptionalInt.empty());
    }

    @Test
    void theHistoryBudgetIsTheWindowLessRoomForThePromptAndTheReply() {
        AdaptersConfig config = parse("""
                adapters:
                  - {name: ollama-default, model: m}
                  - {name: openai-default, inference_provider: openai, model: m}
                  - {name: small, model: m, context_window: 1024}
                  - {name: reply-room, model: m, context_window: 8192, max_tokens: 1000}
                  - {name: reply-fills-window, model: m, context_window: 1024, max_tokens: 1024}
                  - {name: huge, inference_provider: openai, model: m, context_window: 2000000}
                """);

        assertThat(config.adapters()).extracting(AdapterConfig::historyTokens)
                .containsExactly(4096 - 350, 32_768 - 350, 1024 - 350, 8192 - 350 - 1000, 100, 800_000);
    }

    @Test
    void aContextWindowThatIsNoSizeIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> parse("adapters: [{name: a, model: m, context_window: 12}]"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config.yaml: adapters[0].context_window: expected an integer between 256");
        assertThatThrownBy(() -> parse("inference: {ollama: {num_ctx: lots}}\nadapters: [{name: a, model: m}]"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config.yaml: inference.ollama.num_ctx: expected an integer");
    }

    @Test
    void anAdapterNeedsOnlyANameAndAModel() {
        AdaptersConfig config = parse("adapters: [{name: a, model: m}]");

        assertThat(config.adapters()).containsExactly(AdapterConfig.of("a", InferenceProviderType.OLLAMA, "m"));
    }

    @Test
    void providerSectionsAreReadAndAdaptersOverrideThem() {
        AdaptersConfig config = parse("""
                inference:
                  ollama: {base_url: 'http://gpu:11434', connect_timeout_ms: 100, request_timeout_ms: 2000}
                  openai: {base_url: 'https://llm.example/v1', api_key: k1, request_timeout_ms: 9000}
                adapters:
                  - {name: a, inference_provider: openai, model: m, request_timeout_ms: 500}
                """);

        assertThat(config.ollama()).isEqualTo(new ProviderSettings(URI.create("http://gpu:11434"), Optional.empty(),
                Duration.ofMillis(100), Duration.ofMillis(2000)));
        ProviderSettings effective = config.adapters().getFirst().applyTo(config.openai());
        assertThat(effective).isEqualTo(new ProviderSettings(URI.create("https://llm.example/v1"),
                Optional.of(new Secret("k1")), Duration.ofSeconds(5), Duration.ofMillis(500)));
    }

    @Test
    void theShippedAdapterTalksToLocalOllamaByDefault() {
        AdaptersConfig config = ConfigLoader.load(SHIPPED, Map.of()).adapters();

        assertThat(config.adapters()).containsExactly(
                AdapterConfig.of("simple-chat", InferenceProviderType.OLLAMA, "llama3.2"));
        assertThat(config.ollama().baseUrl()).isEqualTo(URI.create("http://localhost:11434"));
        assertThat(config.openai().apiKey()).isEmpty();
    }

    @Test
    void theShippedConfigFollowsTheInferenceVariables() {
        AdaptersConfig config = ConfigLoader.load(SHIPPED, Map.of(
                "ORBIT_INFERENCE_PROVIDER", "openai",
                "ORBIT_MODEL", "gpt-4o-mini",
                "OLLAMA_BASE_URL", "http://ollama.lan:11434",
                "OPENAI_BASE_URL", "http://127.0.0.1:8000/v1",
                "OPENAI_API_KEY", "sk-test")).adapters();

        assertThat(config.adapters()).containsExactly(
                AdapterConfig.of("simple-chat", InferenceProviderType.OPENAI, "gpt-4o-mini"));
        assertThat(config.ollama().baseUrl()).isEqualTo(URI.create("http://ollama.lan:11434"));
        assertThat(config.openai().baseUrl()).isEqualTo(URI.create("http://127.0.0.1:8000/v1"));
        assertThat(config.openai().apiKey()).contains(new Secret("sk-test"));
    }

    @Test
    void theMockProviderCanBeChosenFromTheEnvironment() {
        AdaptersConfig config = ConfigLoader.load(SHIPPED, Map.of("ORBIT_INFERENCE_PROVIDER", "mock")).adapters();

        assertThat(config.find("simple-chat")).map(AdapterConfig::provider).contains(InferenceProviderType.MOCK);
    }

    @Test
    void anUnknownProviderIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> parse("adapters: [{name: a, model: m, inference_provider: bedrock}]"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.yaml: adapters[0].inference_provider: expected one of ollama, openai, mock,"
                        + " got 'bedrock'");
    }

    @Test
    void aDuplicateAdapterNameIsRefusedNamingBothEntries() {
        assertThatThrownBy(() -> parse("adapters: [{name: a, model: m}, {name: b, model: m}, {name: a, model: n}]"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.yaml: adapters[2].name: duplicate adapter name 'a' (already used by adapters[0])");
    }

    @Test
    void aMissingModelIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> parse("adapters: [{name: a, inference_provider: ollama}]"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.yaml: adapters[0].model: required but missing");
    }

    @Test
    void aModelFromAnUnsetVariableIsMissing() {
        assertThatThrownBy(() -> parse("adapters: [{name: a, model: '${NO_SUCH_MODEL}'}]"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.yaml: adapters[0].model: required but missing");
    }

    @Test
    void aMissingNameIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> parse("adapters: [{model: m}]"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.yaml: adapters[0].name: required but missing");
    }

    @Test
    void aBlankNameIsRefused() {
        assertThatThrownBy(() -> parse("adapters: [{name: ' ', model: m}]"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.yaml: adapters[0].name: must not be blank");
    }

    @Test
    void aTemperatureOutOfRangeIsRefused() {
        assertThatThrownBy(() -> parse("adapters: [{name: a, model: m, temperature: 2.5}]"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.yaml: adapters[0].temperature: expected a number between 0 and 2, got '2.5'");
    }

    @Test
    void aTemperatureThatIsNotANumberIsRefused() {
        assertThatThrownBy(() -> parse("adapters: [{name: a, model: m, temperature: warm}]"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.yaml: adapters[0].temperature: expected a number between 0 and 2, got 'warm'");
    }

    @Test
    void maxTokensMustBePositive() {
        assertThatThrownBy(() -> parse("adapters: [{name: a, model: m, max_tokens: 0}]"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.yaml: adapters[0].max_tokens: expected an integer between 1 and 10000000, got 0");
    }

    @Test
    void aBaseUrlMustBeHttpOrHttps() {
        assertThatThrownBy(() -> parse("inference: {ollama: {base_url: 'ftp://x'}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.yaml: inference.ollama.base_url: expected an http:// or https:// URL without"
                        + " query or fragment, got 'ftp://x'");
    }

    @Test
    void aRequestTimeoutOfZeroIsRefused() {
        assertThatThrownBy(() -> parse("inference: {openai: {request_timeout_ms: 0}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.yaml: inference.openai.request_timeout_ms: expected an integer between 1 and"
                        + " 3600000, got 0");
    }

    @Test
    void adaptersMustBeAList() {
        assertThatThrownBy(() -> parse("adapters: {name: a}"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.yaml: adapters: expected a list of mappings, got a mapping");
    }

    @Test
    void apiKeysNeverAppearInToString() {
        OrbitConfig config = ConfigLoader.parse("""
                inference: {openai: {api_key: sk-provider-secret}}
                adapters: [{name: a, model: m, api_key: sk-adapter-secret}]
                """, "config.yaml", Map.of());

        assertThat(config.adapters().openai().apiKey()).map(Secret::value).contains("sk-provider-secret");
        assertThat(config.toString()).doesNotContain("sk-provider-secret").doesNotContain("sk-adapter-secret");
    }

    @Test
    void providerTimeoutsAreWholeMillisecondsOfAtLeastOne() {
        URI url = URI.create("http://localhost:11434");
        Optional<Secret> noKey = Optional.empty();
        Duration second = Duration.ofSeconds(1);
        // The provider client counts whole milliseconds, and 0 is no limit: a call could then wait for ever.
        assertThatThrownBy(() -> new ProviderSettings(url, noKey, second, Duration.ofNanos(999_999)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timeouts must be at least 1 ms");
        assertThatThrownBy(() -> new ProviderSettings(url, noKey, Duration.ofNanos(500_000), second))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timeouts must be at least 1 ms");
        assertThatThrownBy(() -> new ProviderSettings(url, noKey, second, Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new ProviderSettings(url, noKey, Duration.ofMillis(1), Duration.ofMillis(1)).requestTimeout())
                .isEqualTo(Duration.ofMillis(1));
    }
}
