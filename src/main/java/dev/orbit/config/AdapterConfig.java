package dev.orbit.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One entry of the {@code adapters} list: a name API keys refer to, the provider and model it calls, and
 * optional defaults and overrides of the provider's settings.
 *
 * @param temperature    the sampling temperature sent unless a request names its own
 * @param maxTokens      the reply length limit sent unless a request names its own
 * @param baseUrl        replaces the provider's {@code base_url} for this adapter
 * @param apiKey         replaces the provider's {@code api_key} for this adapter
 * @param requestTimeout replaces the provider's {@code request_timeout_ms} for this adapter
 * @param contextWindow  the model's context window in tokens, when configured (the adapter's
 *                       {@code context_window}, else its provider section's); sent to Ollama as {@code num_ctx}
 */
public record AdapterConfig(String name, boolean enabled, InferenceProviderType provider, String model,
                            OptionalDouble temperature, OptionalInt maxTokens, Optional<URI> baseUrl,
                            Optional<Secret> apiKey, Optional<Duration> requestTimeout, OptionalInt contextWindow) {
    /** Tokens kept free of history for the system prompt and the new message (the reference ORBIT's figure). */
    static final int RESERVED_TOKENS = 350;
    static final int MIN_HISTORY_TOKENS = 100;
    static final int MAX_HISTORY_TOKENS = 800_000;

    public AdapterConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(temperature, "temperature");
        Objects.requireNonNull(maxTokens, "maxTokens");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(contextWindow, "contextWindow");
    }

    /** An enabled adapter with no defaults or overrides. */
    public static AdapterConfig of(String name, InferenceProviderType provider, String model) {
        return new AdapterConfig(name, true, provider, model, OptionalDouble.empty(), OptionalInt.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty());
    }

    /** The configured context window, or the provider's usual one (OpenAI-compatible 32,768, others 4,096). */
    public int effectiveContextWindow() {
        return contextWindow.orElse(provider == InferenceProviderType.OPENAI ? 32_768 : 4_096);
    }

    /**
     * Tokens of stored history sent with each turn: the context window less room for the system prompt and
     * the new message and, when set, for the reply ({@code max_tokens}), kept within 100..800,000 as the
     * reference ORBIT does. Older messages beyond it are left out of the model's context (not deleted).
     */
    public int historyTokens() {
        long budget = (long) effectiveContextWindow() - RESERVED_TOKENS - maxTokens.orElse(0);
        return Math.clamp(budget, MIN_HISTORY_TOKENS, MAX_HISTORY_TOKENS);
    }

    /** The provider's settings with this adapter's overrides applied. */
    public ProviderSettings applyTo(ProviderSettings settings) {
        ProviderSettings result = settings;
        result = baseUrl.map(result::withBaseUrl).orElse(result);
        result = apiKey.map(result::withApiKey).orElse(result);
        return requestTimeout.map(result::withRequestTimeout).orElse(result);
    }
}
