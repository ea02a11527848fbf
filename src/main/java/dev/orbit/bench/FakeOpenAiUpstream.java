package dev.orbit.bench;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.orbit.inference.ChatMessage;
import dev.orbit.inference.MockProvider;
import dev.orbit.inference.Usage;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An OpenAI-compatible server that answers at once, for {@code bin/bench-http --provider openai}: a chat completion
 * as JSON, or with {@code "stream": true} as server-sent events, so that the benchmark measures ORBIT's provider
 * client and not a model. It answers what the mock provider would answer the benchmark's user message, in the
 * same pieces when streamed (one content event per piece, then a usage event and {@code data: [DONE]}, each
 * written on its own as a real server streams), so that the gateway stores and relays the same turn with either
 * provider. Every reply is built once at start; a request is only read for its stream flag. {@code GET /stats}
 * tells how many connections it accepted and how many completions it served: fewer connections than completions
 * shows that the gateway reuses its connections (HTTP/1.1 keep-alive).
 *
 * <p>Run: {@code java -cp target/orbit.jar dev.orbit.bench.FakeOpenAiUpstream [port [user message]]} (port 0 or
 * none: any free port); it prints {@code listening on <port>} and serves on 127.0.0.1 until it is stopped.
 */
public final class FakeOpenAiUpstream implements AutoCloseable {
    /** The user message whose mock reply is served when none is given. */
    public static final String DEFAULT_MESSAGE = "What is the capital of France? Answer in one short sentence.";
    // Compact JSON, as ORBIT's client writes it; a streamed request is the only one that says this.
    private static final byte[] STREAM_FLAG = "\"stream\":true".getBytes(StandardCharsets.US_ASCII);
    private static final HttpField JSON_TYPE = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json");
    private static final HttpField EVENT_STREAM_TYPE = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE,
            "text/event-stream");

    private final byte[] completion;
    private final List<byte[]> events;
    private final Server server;
    private final ServerConnector connector;
    private final LongAdder connections = new LongAdder();
    private final LongAdder completions = new LongAdder();
    private final LongAdder streamed = new LongAdder();

    /** Starts serving on 127.0.0.1 at {@code port} (0: any free port) the mock's reply to {@code userMessage}. */
    public FakeOpenAiUpstream(int port, String userMessage) throws Exception {
        String reply = MockProvider.reply(List.of(ChatMessage.user(userMessage)));
        completion = utf8("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":0,\"model\":\"bench\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + quoted(reply)
                + "},\"finish_reason\":\"stop\"}]," + usage(userMessage, reply) + "}");
        List<byte[]> all = new ArrayList<>();
        for (String piece : MockProvider.pieces(reply)) {
            all.add(utf8("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"content\":" + quoted(piece) + "},\"finish_reason\":null}]}\n\n"));
        }
        all.add(utf8("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
                + usage(userMessage, reply) + "}\n\n"));
        all.add(utf8("data: [DONE]\n\n"));
        events = List.copyOf(all);

        QueuedThreadPool threads = new QueuedThreadPool(32, 4);
        threads.setName("fake-openai");
        server = new Server(threads);
        connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.addEventListener(new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                connections.increment();
            }
        });
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                serve(request, response, callback);
                return true;
            }
        });
        server.start();
    }

    public static void main(String[] args) throws Exception {
        FakeOpenAiUpstream upstream = new FakeOpenAiUpstream(args.length > 0 ? Integer.parseInt(args[0]) : 0,
                args.length > 1 ? args[1] : DEFAULT_MESSAGE);
        Runtime.getRuntime().addShutdownHook(new Thread(upstream::close));
        System.out.println("listening on " + upstream.address().getPort());
        System.out.flush();
        upstream.server.join();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", connector.getLocalPort());
    }

    /** Connections accepted and completions served so far (plain and streamed). */
    public Stats stats() {
        return new Stats(connections.sum(), completions.sum(), streamed.sum());
    }

    /** See {@link #stats()}. */
    public record Stats(long connections, long completions, long streamed) {
        String json() {
            return "{\"connections\": " + connections + ", \"completions\": " + completions + ", \"streamed\": "
                    + streamed + "}";
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // Stopping a benchmark's helper: nothing is left to save.
        }
    }

    private void serve(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (request.getMethod().equals("GET") && path.equals("/stats")) {
            send(response, callback, 200, utf8(stats().json()));
            return;
        }
        if (!request.getMethod().equals("POST") || !path.endsWith("/chat/completions")) {
            send(response, callback, 404, utf8("{\"error\": {\"message\": \"not found\"}}"));
            return;
        }
        // The whole request is read before answering, as a real server would; only its stream flag matters here.
        Content.Source.asByteBufferAsync(request).whenComplete((body, failure) -> {
            if (failure != null) {
                callback.failed(failure);
                return;
            }
            completions.increment();
            if (contains(body, STREAM_FLAG)) {
                streamed.increment();
                response.setStatus(200);
                response.getHeaders().put(EVENT_STREAM_TYPE);
                new EventWriter(response, callback).iterate();
            } else {
                send(response, callback, 200, completion);
            }
        });
    }

    /** Writes the events one after another, each as its own chunk, without blocking a thread. */
    private final class EventWriter extends IteratingCallback {
        private final Response response;
        private final Callback callback;
        private int next;

        EventWriter(Response response, Callback callback) {
            this.response = response;
            this.callback = callback;
        }

        @Override
        protected Action process() {
            if (next == events.size()) {
                return Action.SUCCEEDED;
            }
            byte[] event = events.get(next++);
            response.write(next == events.size(), ByteBuffer.wrap(event), this);
            return Action.SCHEDULED;
        }

        @Override
        protected void onCompleteSuccess() {
            callback.succeeded();
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            callback.failed(cause);
        }
    }

    private static void send(Response response, Callback callback, int status, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(JSON_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private static boolean contains(ByteBuffer body, byte[] needle) {
        int limit = body.limit() - needle.length;
        outer:
        for (int i = body.position(); i <= limit; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (body.get(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    // Token counts as the mock estimates them, so that both providers store alike.
    private static String usage(String userMessage, String reply) {
        long prompt = Usage.estimateTokens(userMessage);
        long completion = Usage.estimateTokens(reply);
        return "\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
                + ",\"total_tokens\":" + (prompt + completion) + "}";
    }

    private static String quoted(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
