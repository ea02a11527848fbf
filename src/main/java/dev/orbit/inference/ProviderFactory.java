package dev.orbit.inference;

import dev.orbit.config.AdapterConfig;
import dev.orbit.config.AdaptersConfig;
import dev.orbit.config.InferenceProviderType;
import dev.orbit.config.ProviderSettings;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Builds the provider clients and owns what they share: one {@link HttpClient} per connect timeout (on virtual
 * threads) and the timer that enforces request timeouts. Providers with equal settings are built once.
 * {@link #close} aborts calls still running.
 */
public final class ProviderFactory implements AutoCloseable {
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledThreadPoolExecutor timer;
    private final Map<Duration, HttpClient> clients = new ConcurrentHashMap<>();
    private final Map<Key, InferenceProvider> providers = new ConcurrentHashMap<>();
    private final MockProvider mock = new MockProvider();

    private record Key(InferenceProviderType type, ProviderSettings settings) {
    }

    public ProviderFactory() {
        timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("orbit-inference-timer").daemon().factory());
        // Most calls finish long before their deadline; drop their cancelled watchdogs at once.
        timer.setRemoveOnCancelPolicy(true);
    }

    /** The provider an adapter calls: its provider's settings from {@code config} with the adapter's overrides. */
    public InferenceProvider provider(AdapterConfig adapter, AdaptersConfig config) {
        if (adapter.provider() == InferenceProviderType.MOCK) {
            return mock;
        }
        return provider(adapter.provider(), adapter.applyTo(config.settings(adapter.provider())));
    }

    /** The provider of this type with these settings (ignored for {@code mock}). */
    public InferenceProvider provider(InferenceProviderType type, ProviderSettings settings) {
        Objects.requireNonNull(type, "type");
        if (type == InferenceProviderType.MOCK) {
            return mock;
        }
        Objects.requireNonNull(settings, "settings");
        return providers.computeIfAbsent(new Key(type, settings), key -> {
            ProviderEndpoint endpoint = new ProviderEndpoint(type.configName(), client(settings.connectTimeout()),
                    timer, settings);
            return switch (type) {
                case OLLAMA -> new OllamaProvider(endpoint);
                case OPENAI -> new OpenAiProvider(endpoint);
                case MOCK -> throw new AssertionError("handled above");
            };
        });
    }

    private HttpClient client(Duration connectTimeout) {
        return clients.computeIfAbsent(connectTimeout, timeout -> HttpClient.newBuilder()
                .connectTimeout(timeout)
                // Plain-http servers (Ollama, vLLM, llama.cpp) gain nothing from an h2c upgrade attempt, and
                // some mishandle it; HTTP/1.1 is what they all speak.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build());
    }

    /** Aborts running calls and releases the clients and the timer. */
    @Override
    public void close() {
        clients.values().forEach(HttpClient::shutdownNow);
        timer.shutdownNow();
        executor.shutdownNow();
    }
}
