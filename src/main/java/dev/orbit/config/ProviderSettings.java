package dev.orbit.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach one HTTP inference provider: an {@code inference.ollama} or {@code inference.openai} section,
 * possibly with an adapter's overrides applied.
 *
 * @param baseUrl        the server's base URL, without a trailing slash
 * @param apiKey         sent as {@code Authorization: Bearer} when present
 * @param connectTimeout how long to wait for the TCP (and TLS) connection
 * @param requestTimeout how long a whole reply may take, streamed or not, from sending to its last byte
 */
public record ProviderSettings(URI baseUrl, Optional<Secret> apiKey, Duration connectTimeout, Duration requestTimeout) {
    private static final Duration MIN_TIMEOUT = Duration.ofMillis(1);

    public ProviderSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        // The HTTP client counts whole milliseconds and takes 0 for "none": a shorter timeout would be no limit at
        // all, and a call waits for its reply as long as the client's timeout lets it (see ProviderEndpoint).
        if (connectTimeout.compareTo(MIN_TIMEOUT) < 0 || requestTimeout.compareTo(MIN_TIMEOUT) < 0) {
            throw new IllegalArgumentException("timeouts must be at least 1 ms");
        }
    }

    public ProviderSettings withBaseUrl(URI value) {
        return new ProviderSettings(value, apiKey, connectTimeout, requestTimeout);
    }

    public ProviderSettings withApiKey(Secret value) {
        return new ProviderSettings(baseUrl, Optional.of(value), connectTimeout, requestTimeout);
    }

    public ProviderSettings withRequestTimeout(Duration value) {
        return new ProviderSettings(baseUrl, apiKey, connectTimeout, value);
    }
}
