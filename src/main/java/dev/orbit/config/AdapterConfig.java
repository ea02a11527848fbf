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
 */
public record AdapterConfig(String name, boolean enabled, InferenceProviderType provider, String model,
                            OptionalDouble temperature, OptionalInt maxTokens, Optional<URI> baseUrl,
                            Optional<Secret> apiKey, Optional<Duration> requestTimeout) {
    public AdapterConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(temperature, "temperature");
        Objects.requireNonNull(maxTokens, "maxTokens");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    /** An enabled adapter with no defaults or overrides. */
    public static AdapterConfig of(String name, InferenceProviderType provider, String model) {
        return new AdapterConfig(name, true, provider, model, OptionalDouble.empty(), OptionalInt.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The provider's settings with this adapter's overrides applied. */
    public ProviderSettings applyTo(ProviderSettings settings) {
        ProviderSettings result = settings;
        result = baseUrl.map(result::withBaseUrl).orElse(result);
        result = apiKey.map(result::withApiKey).orElse(result);
        return requestTimeout.map(result::withRequestTimeout).orElse(result);
    }
}
