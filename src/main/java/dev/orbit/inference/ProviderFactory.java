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
 * Builds the provider clients and owns what they share: one Jetty {@link HttpClient} per connect timeout, whose
 * pool keeps HTTP/1.1 connections to each provider alive between calls. Providers with equal settings are built
 * once. {@link #close} aborts calls still running.
 */
public final class ProviderFactory implements AutoCloseable {
    // Concurrent calls to one provider beyond this wait for a connection (within their timeout); the bound keeps a
    // flood of chat turns from opening sockets without end.
    static final int MAX_CONNECTIONS_PER_PROVIDER = 1024;
    private static final int MAX_QUEUED_PER_PROVIDER = 64 * 1024;
    // An unused pooled connection is closed after this; the JDK's client kept them as long. Shorter than the idle
    // timeouts of the proxies and load balancers in front of providers (60-75 s), so that we close first: a POST
    // written to a connection the server is closing fails, and is not retried.
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(30);

    private final Duration keepAlive;
    private final Map<Duration, HttpClient> clients = new ConcurrentHashMap<>();
    private final Map<Key, InferenceProvider> providers = new ConcurrentHashMap<>();
    private final MockProvider mock = new MockProvider();

    private record Key(InferenceProviderType type, ProviderSettings settings) {
    }

    public ProviderFactory() {
        this(KEEP_ALIVE);
    }

    /** A factory whose clients close unused connections after {@code keepAlive} (tests shorten it). */
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
            ProviderEndpoint endpoint = new ProviderEndpoint(type.configName(), client(settings.connectTimeout()),
                    settings);
            return switch (type) {
                case OLLAMA -> new OllamaProvider(endpoint);
                case OPENAI -> new OpenAiProvider(endpoint);
                case MOCK -> throw new AssertionError("handled above");
            };
        });
    }

    private HttpClient client(Duration connectTimeout) {
        return clients.computeIfAbsent(connectTimeout, timeout -> {
            String name = "orbit-provider-" + timeout.toMillis() + "ms";
            // Daemon threads: a client nobody closed (a test, a failed start) must not keep the JVM alive.
            QueuedThreadPool threads = new QueuedThreadPool();
            threads.setName(name);
            threads.setDaemon(true);
            HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP();
            // What the client calls back may run on its selector thread instead of being handed to a pool thread
            // for every read, which was half the client's threads' CPU per call (42 -> 23 us) and 8% of openai chat
            // turns a second. So nothing registered with this client may block: ReplyListener completes a future
            // and counts down a latch, ReplyBody's demand callback (declared non-blocking) unparks the reader, and
            // the caller reads and parses the body on its own thread; request bodies are in memory (a queued
            // request may be sent from the selector when a connection is released). The price: a TLS handshake's
            // work also runs on the selector, so a burst of new HTTPS connections delays the replies of the others
            // while it lasts (connections are kept alive, so bursts are rare).
            transport.setInvocationType(Invocable.InvocationType.NON_BLOCKING);
            HttpClient client = new HttpClient(transport);
            client.setExecutor(threads);
            client.setScheduler(new ScheduledExecutorScheduler(name + "-scheduler", true));
            client.setConnectTimeout(timeout.toMillis());
            client.setIdleTimeout(keepAlive.toMillis());
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
