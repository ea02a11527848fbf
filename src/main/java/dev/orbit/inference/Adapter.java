package dev.orbit.inference;

import dev.orbit.config.AdapterConfig;
import java.util.List;
import java.util.Objects;

/** A configured adapter ready to call: its configuration and the provider built for it. */
public record Adapter(AdapterConfig config, InferenceProvider provider) {
    public Adapter {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(provider, "provider");
    }

    public String name() {
        return config.name();
    }

    public boolean enabled() {
        return config.enabled();
    }

    public String model() {
        return config.model();
    }

    /** The provider's configuration name ({@code ollama}, {@code openai}, {@code mock}). */
    public String providerName() {
        return config.provider().configName();
    }

    /** The adapter's own temperature and max_tokens, used where a request names none, and its context window. */
    public InferenceOptions defaults() {
        return new InferenceOptions(config.temperature(), config.maxTokens(), config.contextWindow());
    }

    /** Tokens of stored history sent with each turn ({@link AdapterConfig#historyTokens}). */
    public int historyTokens() {
        return config.historyTokens();
    }

    /** A request for this adapter's model; {@code options} win over the adapter's defaults. */
    public InferenceRequest request(List<ChatMessage> messages, InferenceOptions options) {
        return new InferenceRequest(config.model(), messages, options.orElse(defaults()));
    }

    /** {@link InferenceProvider#complete} with this adapter's model and defaults. */
    public Completion complete(List<ChatMessage> messages, InferenceOptions options) {
        return provider.complete(request(messages, options));
    }

    /** {@link InferenceProvider#stream} with this adapter's model and defaults. */
    public Completion stream(List<ChatMessage> messages, InferenceOptions options, StreamSink sink) {
        return provider.stream(request(messages, options), sink);
    }
}
