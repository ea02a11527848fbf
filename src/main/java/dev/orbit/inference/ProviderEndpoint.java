package dev.orbit.inference;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import dev.orbit.config.ProviderSettings;
import dev.orbit.json.SharedJsonBuffers;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * One HTTP provider's server: posts a JSON request to it and hands the reply to a reader line by line, all
 * within the request timeout. The timeout bounds the whole exchange (connecting, the headers and the body): when
 * it is up the client aborts the exchange, which wakes a reader blocked on a silent server, and the failure is
 * reported as a timeout. Connections are HTTP/1.1 and kept alive between calls by the shared client.
 */
final class ProviderEndpoint {
    static final JsonMapper JSON = SharedJsonBuffers.mapperBuilder()
            // Parser messages may quote the reply, which may echo the key; keep the source out of them.
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();
    private static final String JSON_TYPE = "application/json";

    private final String provider;
    private final HttpClient client;
    private final ProviderSettings settings;
    private final HttpField authorization; // null without a key
    /** The URL of each path posted to (a provider posts to one or two), parsed once. */
    private final Map<String, URI> urls = new ConcurrentHashMap<>();

    ProviderEndpoint(String provider, HttpClient client, ProviderSettings settings) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.authorization = settings.apiKey()
                .map(key -> new HttpField(HttpHeader.AUTHORIZATION, "Bearer " + key.value()))
                .orElse(null);
    }

    /**
     * Writes a request's JSON object, its fields only (the braces are the endpoint's), straight to the bytes sent:
     * no tree of the request is built, since the history it carries can be long and is written on every turn.
     */
    @FunctionalInterface
    interface RequestBody {
        void writeFields(JsonGenerator json) throws IOException;
    }

    /** Writes {@code "messages": [{"role": ..., "content": ...}, ...]}, as both chat APIs take them. */
    static void writeMessages(JsonGenerator json, List<ChatMessage> messages) throws IOException {
        json.writeArrayFieldStart("messages");
        for (ChatMessage m : messages) {
            json.writeStartObject();
            json.writeStringField("role", m.role());
            json.writeStringField("content", m.content());
            json.writeEndObject();
        }
        json.writeEndArray();
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
    <T> T post(String path, String model, RequestBody body, ReplyReader<T> reader) {
        ProviderCall call = new ProviderCall(() -> describe(model), settings.apiKey(), settings.requestTimeout());
        ReplyListener listener = new ReplyListener();
        Request request = request(path, body);
        request.send(listener);
        Response response = headers(call, request, listener);
        // Closing the body before its end (a stop, a failure) aborts the exchange and drops the connection;
        // a body read to its end leaves the connection to the next call.
        try (ReplyBody reply = new ReplyBody(listener.body())) {
            call.open(reply, grace -> {
                Scheduler.Task cutOff = client.getScheduler().schedule(() -> request.abort(
                        new TimeoutException("the body did not end after the reply's last event")),
                        grace.toNanos(), TimeUnit.NANOSECONDS);
                return cutOff::cancel;
            });
            if (response.getStatus() / 100 != 2) {
                throw call.failed("HTTP " + response.getStatus() + call.errorDetail());
            }
            T result = reader.read(call);
            if (call.ended()) {
                awaitRelease(listener, call);
            }
            return result;
        } catch (IOException e) {
            if (isTimeout(e)) {
                throw call.timedOut(e);
            }
            throw call.failed("the reply broke off: " + reason(e), e);
        } catch (InferenceFailedException e) {
            // A failure that came with the time limit (an error detail the abort cut short) is a timeout.
            if (call.remainingNanos() <= 0) {
                throw call.timedOut(e);
            }
            throw e;
        }
    }

    /**
     * Waits for the exchange that delivered its body's end to complete. The end of the body can reach the reader
     * before the client has put the connection back in its pool (when another thread than the reader's read it), so a
     * next call made at once could find the pool empty and open a connection of its own; waiting for the completion,
     * which follows at once, makes calls one after another share one connection. Mostly there is nothing to wait for:
     * the read that found the end completed the exchange. Bounded: waiting longer would only save the next call a
     * connect.
     */
    private static void awaitRelease(ReplyListener listener, ProviderCall call) {
        try {
            // Not completing in time: the answer is complete, only its connection may not be reused.
            listener.awaitCompletion(Math.max(0, Math.min(ProviderCall.END_GRACE.toNanos(), call.remainingNanos())),
                    TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Request request(String path, RequestBody body) {
        byte[] json = bytes(body);
        long timeout = settings.requestTimeout().toNanos();
        Request request = client.newRequest(urls.computeIfAbsent(path, p -> URI.create(settings.baseUrl() + p)))
                .method(HttpMethod.POST)
                // The whole exchange; a connection may also stay silent that long (a slow first token).
                .timeout(timeout, TimeUnit.NANOSECONDS)
                .idleTimeout(timeout, TimeUnit.NANOSECONDS)
                .body(new BytesRequestContent(JSON_TYPE, json));
        if (authorization != null) {
            request.headers(headers -> headers.put(authorization));
        }
        return request;
    }

    private static byte[] bytes(RequestBody body) {
        try {
            return JSON.writeValueAsBytes(new RequestObject(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a request body", e);
        }
    }

    /** The request's JSON object as the mapper writes it (into its pooled buffers): braces around the fields. */
    private record RequestObject(RequestBody body) implements JsonSerializable {
        @Override
        public void serialize(JsonGenerator json, SerializerProvider serializers) throws IOException {
            json.writeStartObject();
            body.writeFields(json);
            json.writeEndObject();
        }

        @Override
        public void serializeWithType(JsonGenerator json, SerializerProvider serializers, TypeSerializer type)
                throws IOException {
            serialize(json, serializers);
        }
    }

    /**
     * Waits for the reply's headers; a failure to get them (connecting, sending, the time limit) is mapped. The wait
     * has no time limit of its own: the request's timeout is the client's (at least 1 ms, see ProviderSettings), and
     * the client aborts the exchange when it is up (a failure whose cause is a {@link TimeoutException}) or when the
     * client is stopped, which completes the wait, as it ends a wait for the body (ReplyBody). A timed wait of a
     * virtual thread schedules a task with the JDK's delay scheduler and cancels it, waking that scheduler's thread
     * both times: 16 us of its CPU per call and the carriers' wake-ups of it, 12% of openai chat turns a second.
     */
    private Response headers(ProviderCall call, Request request, ReplyListener listener) {
        try {
            return listener.headers();
        } catch (InterruptedException e) {
            request.abort(e);
            Thread.currentThread().interrupt();
            throw call.failed("interrupted while waiting for the reply", e);
        } catch (ExecutionException e) {
            Throwable cause = Objects.requireNonNullElse(e.getCause(), e);
            if (cause instanceof SocketTimeoutException) { // the client's connect timeout
                throw call.connectTimedOut(settings.connectTimeout(), cause);
            }
            if (isTimeout(cause)) {
                throw call.timedOut(cause);
            }
            if (cause instanceof ConnectException) {
                throw call.failed("cannot connect" + (cause.getMessage() == null ? "" : ": " + cause.getMessage()),
                        cause);
            }
            if (cause instanceof RejectedExecutionException) {
                // Jetty says the same for a stopped client and for a full queue of calls to one provider.
                throw call.failed(client.isRunning() ? "too many calls waiting for this provider"
                        : "the provider clients are closed", cause);
            }
            throw call.failed("request failed: " + reason(cause), cause);
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

    /** Whether the client ended the exchange at its time limit (a reader sees it as the cause of its failure). */
    private static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * What went wrong, from the innermost cause (the outer ones only wrap it). The client's end-of-input names its
     * connection's internals, which say nothing to an operator; it is said in words instead.
     */
    private static String reason(Throwable failure) {
        Throwable innermost = failure;
        while (innermost.getCause() != null && innermost.getCause() != innermost) {
            innermost = innermost.getCause();
        }
        if (innermost instanceof EOFException) {
            return "the server closed the connection";
        }
        return Objects.toString(innermost.getMessage(), innermost.getClass().getSimpleName());
    }
}
