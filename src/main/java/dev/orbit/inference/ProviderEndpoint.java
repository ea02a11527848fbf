package dev.orbit.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orbit.config.ProviderSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One HTTP provider's server: posts a JSON request to it and hands the reply to a reader line by line, all
 * within the request timeout. A watchdog closes the reply body when the time is up, which wakes a reader
 * blocked on a silent server; the failure is then reported as a timeout.
 */
final class ProviderEndpoint {
    static final JsonMapper JSON = JsonMapper.builder()
            // Parser messages may quote the reply, which may echo the key; keep the source out of them.
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private final String provider;
    private final HttpClient client;
    private final ScheduledExecutorService timer;
    private final ProviderSettings settings;
    /** The URL of each path posted to (a provider posts to one or two), parsed once. */
    private final Map<String, URI> urls = new ConcurrentHashMap<>();

    ProviderEndpoint(String provider, HttpClient client, ScheduledExecutorService timer, ProviderSettings settings) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.client = Objects.requireNonNull(client, "client");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Reads one reply; may throw {@link InferenceException} or the sink's exceptions. */
    @FunctionalInterface
    interface ReplyReader<T> {
        T read(ProviderCall call) throws IOException;
    }

    /**
     * Posts {@code body} to the base URL plus {@code path} and returns what {@code reader} makes of a 2xx reply.
     *
     * @throws InferenceTimeoutException if the reply (headers and body) did not finish within the request timeout
     * @throws InferenceFailedException  if the server cannot be reached, answers non-2xx, or the body breaks off
     */
    <T> T post(String path, String model, ObjectNode body, ReplyReader<T> reader) {
        ProviderCall call = new ProviderCall(() -> describe(model), settings.apiKey(), settings.requestTimeout());
        HttpResponse<InputStream> response = send(call, request(path, body));
        InputStream stream = response.body();
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> watchdog = null;
        try (stream) {
            watchdog = timer.schedule(() -> {
                expired.set(true);
                closeQuietly(stream);
            }, call.remainingNanos(), TimeUnit.NANOSECONDS);
            call.open(stream);
            if (response.statusCode() / 100 != 2) {
                throw call.failed("HTTP " + response.statusCode() + call.errorDetail());
            }
            return reader.read(call);
        } catch (IOException e) {
            if (expired.get() || e instanceof HttpTimeoutException || e.getCause() instanceof HttpTimeoutException) {
                throw call.timedOut(e);
            }
            throw call.failed("the reply broke off: " + Objects.toString(e.getMessage(), e.toString()), e);
        } catch (InferenceFailedException e) {
            // A line cut short by the watchdog parses as malformed; the real cause is the time limit.
            if (expired.get()) {
                throw call.timedOut(e);
            }
            throw e;
        } catch (RejectedExecutionException e) {
            throw call.failed("the provider clients are closed", e);
        } finally {
            if (watchdog != null) {
                watchdog.cancel(false);
            }
        }
    }

    private HttpRequest request(String path, ObjectNode body) {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a request body", e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(urls.computeIfAbsent(path,
                        p -> URI.create(settings.baseUrl() + p)))
                // Bounds connecting and waiting for the headers; the watchdog bounds the body.
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json));
        settings.apiKey().ifPresent(key -> request.header("Authorization", "Bearer " + key.value()));
        return request.build();
    }

    private HttpResponse<InputStream> send(ProviderCall call, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw call.connectTimedOut(settings.connectTimeout(), e);
        } catch (HttpTimeoutException e) {
            throw call.timedOut(e);
        } catch (ConnectException e) {
            throw call.failed("cannot connect" + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        } catch (IOException e) {
            throw call.failed("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw call.failed("interrupted while waiting for the reply", e);
        }
    }

    // "ollama at http://host:11434 (model llama3.2)"; user info in the URL may hold a password, so it is left out.
    private String describe(String model) {
        URI url = settings.baseUrl();
        String where;
        try {
            where = new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), null, null).toString();
        } catch (URISyntaxException e) {
            where = url.getScheme() + "://" + url.getHost();
        }
        return provider + " at " + where + " (model " + model + ")";
    }

    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // Closing only wakes the reader; there is nothing to do if it fails.
        }
    }
}
