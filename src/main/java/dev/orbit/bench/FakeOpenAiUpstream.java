package dev.orbit.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An OpenAI-compatible server that answers at once, for {@code bin/bench-http --provider openai}: a chat completion
 * as JSON, or with {@code "stream": true} as server-sent events (three content chunks, a usage chunk and
 * {@code data: [DONE]}, each written and flushed on its own, chunked as a real server streams), always the same short reply, so that the benchmark measures ORBIT's provider client and
 * not a model. {@code GET /stats} tells how many connections it accepted and how many completions it served:
 * fewer connections than completions shows that the gateway reuses its connections (HTTP/1.1 keep-alive).
 *
 * <p>Run: {@code java -cp target/orbit.jar dev.orbit.bench.FakeOpenAiUpstream [port]} (0 or none: any free port);
 * it prints {@code listening on <port>} and serves on 127.0.0.1 until it is stopped.
 */
public final class FakeOpenAiUpstream implements AutoCloseable {
    static final String REPLY = "Paris is the capital of France.";
    private static final byte[] COMPLETION = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":0,"
            + "\"model\":\"bench\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
            + REPLY + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":24,\"completion_tokens\":7,"
            + "\"total_tokens\":31}}").getBytes(StandardCharsets.UTF_8);
    private static final List<byte[]> EVENTS = Stream.of(chunk("Paris"), chunk(" is the capital"),
            chunk(" of France."), "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
                    + "\"choices\":[],\"usage\":{\"prompt_tokens\":24,\"completion_tokens\":7,\"total_tokens\":31}}\n\n",
            "data: [DONE]\n\n").map(event -> event.getBytes(StandardCharsets.UTF_8)).toList();

    private final Server server;
    private final ServerConnector connector;
    private final LongAdder connections = new LongAdder();
    private final LongAdder completions = new LongAdder();
    private final LongAdder streamed = new LongAdder();

    /** Starts serving on 127.0.0.1 at {@code port} (0: any free port). */
    public FakeOpenAiUpstream(int port) throws Exception {
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
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws IOException {
                return serve(request, response, callback);
            }
        });
        server.start();
    }

    public static void main(String[] args) throws Exception {
        FakeOpenAiUpstream upstream = new FakeOpenAiUpstream(args.length > 0 ? Integer.parseInt(args[0]) : 0);
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

    private boolean serve(Request request, Response response, Callback callback) throws IOException {
        String path = Request.getPathInContext(request);
        if (request.getMethod().equals("GET") && path.equals("/stats")) {
            send(response, callback, 200, "application/json", stats().json().getBytes(StandardCharsets.UTF_8));
            return true;
        }
        if (!request.getMethod().equals("POST") || !path.endsWith("/chat/completions")) {
            send(response, callback, 404, "application/json",
                    "{\"error\": {\"message\": \"not found\"}}".getBytes(StandardCharsets.UTF_8));
            return true;
        }
        // The whole request is read before answering, as a real server would; only its stream flag matters here.
        String body = Content.Source.asString(request, StandardCharsets.UTF_8);
        completions.increment();
        if (body.contains("\"stream\":true")) {
            streamed.increment();
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                for (byte[] event : EVENTS) {
                    out.write(event);
                    out.flush();
                }
            } catch (IOException e) {
                callback.failed(e);
                return true;
            }
            callback.succeeded();
        } else {
            send(response, callback, 200, "application/json", COMPLETION);
        }
        return true;
    }

    private static void send(Response response, Callback callback, int status, String type, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private static String chunk(String content) {
        return "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}]}\n\n";
    }
}
