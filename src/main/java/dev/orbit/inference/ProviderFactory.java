package dev.orbit.inference;

import dev.orbit.config.AdapterConfig;
import dev.orbit.config.AdaptersConfig;
import dev.orbit.config.InferenceProviderType;
import dev.orbit.config.ProviderSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * Builds the provider clients and owns what they share: one Jetty {@link HttpClient} per connect timeout and idle
 * timeout, whose pool keeps HTTP/1.1 connections to each provider alive between calls. Providers with equal settings are built
 * once. {@link #close} aborts calls still running.
 */
public final class ProviderFactory implements AutoCloseable {
    // Concurrent calls to one provider beyond this wait for a connection (within their timeout); the bound keeps a
    // flood of chat turns from opening sockets without end.
    static final int MAX_CONNECTIONS_PER_PROVIDER = 1024;
    private static final int MAX_QUEUED_PER_PROVIDER = 64 * 1024;
    // An unused pooled connection is closed after this (the JDK's client kept them as long), or after the request
    // timeout if that is longer: see idleTimeout.
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(30);

    private final Duration keepAlive;
    private final Map<ClientKey, HttpClient> clients = new ConcurrentHashMap<>();
    private final Map<Key, InferenceProvider> providers = new ConcurrentHashMap<>();
    private final MockProvider mock = new MockProvider();

    private record Key(InferenceProviderType type, ProviderSettings settings) {
    }

    private record ClientKey(Duration connectTimeout, Duration idleTimeout) {
    }

    public ProviderFactory() {
        this(KEEP_ALIVE);
    }

    /** A factory whose clients keep unused connections {@code keepAlive} at least (tests shorten it). */
    ProviderFactory(Duration keepAlive) {
        this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
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
            ProviderEndpoint endpoint = new ProviderEndpoint(type.configName(), client(settings), settings);
            return switch (type) {
                case OLLAMA -> new OllamaProvider(endpoint);
                case OPENAI -> new OpenAiProvider(endpoint);
                case MOCK -> throw new AssertionError("handled above");
            };
        });
    }

    /**
     * How long a connection may stay silent: as long as a call to the provider may run (a slow first token), and no
     * less than the keep-alive. It is the client's, not each request's: a request's own idle timeout is set on its
     * connection when it is sent and set back when it ends, and setting it back reschedules the connection's idle
     * check, twice per call for nothing (4% of an openai chat turn's CPU).
     */
    private Duration idleTimeout(ProviderSettings settings) {
        return settings.requestTimeout().compareTo(keepAlive) > 0 ? settings.requestTimeout() : keepAlive;
    }

    private HttpClient client(ProviderSettings settings) {
        return clients.computeIfAbsent(new ClientKey(settings.connectTimeout(), idleTimeout(settings)), key -> {
            String name = "orbit-provider-" + key.connectTimeout().toMillis() + "ms-"
                    + key.idleTimeout().toMillis() + "ms";
            // Daemon threads: a client nobody closed (a test, a failed start) must not keep the JVM alive.
            QueuedThreadPool threads = new QueuedThreadPool();
            threads.setName(name);
            threads.setDaemon(true);
            HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP();
            // What the client calls back runs on its selector thread instead of being handed to a pool thread for
            // every read. It may: ProviderEndpoint's listener only completes a future, counts down a latch and
            // unparks the caller, which reads and parses the body on its own thread. That hand-off was half the
            // client's threads' CPU per call (42 -> 23 us) and 8% of openai chat turns a second.
            transport.setInvocationType(Invocable.InvocationType.NON_BLOCKING);
            HttpClient client = new HttpClient(transport);
            client.setExecutor(threads);
            client.setScheduler(new ScheduledExecutorScheduler(name + "-scheduler", true));
            client.setConnectTimeout(key.connectTimeout().toMillis());
            client.setIdleTimeout(key.idleTimeout().toMillis());
            client.setFollowRedirects(false);
            client.setMaxConnectionsPerDestination(MAX_CONNECTIONS_PER_PROVIDER);
            client.setMaxRequestsQueuedPerDestination(MAX_QUEUED_PER_PROVIDER);
            try {
                client.start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the providers' HTTP client", e);
            }
            // Replies as the server sends them (the client adds these when it starts): no Accept-Encoding, nothing
            // decompressed on our side, and no handling of 401, 407, 100-continue or redirects by the client (a
            // 401 is the caller's failure to report).
            client.getContentDecoderFactories().clear();
            client.getProtocolHandlers().clear();
            return client;
        });
    }

    /** Aborts running calls and releases the clients. */
    @Override
    public void close() {
        clients.values().forEach(client -> {
            try {
                client.stop();
            } catch (Exception e) {
                // Stopping aborts what is running; a client that fails to stop has nothing left to save.
            }
        });
    }
}
