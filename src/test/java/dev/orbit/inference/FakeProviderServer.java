package dev.orbit.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A provider's HTTP server on 127.0.0.1 and a free port that records each request and answers as told. */
final class FakeProviderServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final BlockingQueue<Recorded> requests = new LinkedBlockingQueue<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile Responder responder = exchange -> reply(exchange, 404, "text/plain", "no responder");

    /** How the server answers one request. */
    @FunctionalInterface
    interface Responder {
        void respond(HttpExchange exchange) throws Exception;
    }

    /** One request as the server received it. */
    record Recorded(String method, String path, String protocol, Headers headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private FakeProviderServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getProtocol(), exchange.getRequestHeaders(), body));
                responder.respond(exchange);
            } catch (IOException e) {
                // The client went away or the responder cut the reply short on purpose.
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        server.start();
    }

    static FakeProviderServer start() throws IOException {
        return new FakeProviderServer();
    }

    /** http://127.0.0.1:port plus {@code path}. */
    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    void respond(Responder value) {
        this.responder = value;
    }

    /** The next request received, waiting a few seconds at most. */
    Recorded takeRequest() throws InterruptedException {
        Recorded request = requests.poll(5, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("no request arrived");
        }
        return request;
    }

    /** How many received requests have not been taken yet. */
    int requestsWaiting() {
        return requests.size();
    }

    /** Answers with this status and JSON body. */
    static Responder json(int status, String body) {
        return exchange -> reply(exchange, status, "application/json", body);
    }

    /** Answers 200 with a chunked body, writing and flushing each line (with "\n") separately. */
    static Responder lines(String contentType, String... lines) {
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (String line : lines) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        };
    }

    /**
     * Answers 200 with a chunked body: {@code first} in one write, then {@code rest} once {@code go} is counted down,
     * or {@code late} instead if that takes more than 5 seconds.
     */
    static Responder twoBursts(String contentType, String first, CountDownLatch go, String rest, String late) {
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(first.getBytes(StandardCharsets.UTF_8));
            out.flush();
            boolean inTime = go.await(5, TimeUnit.SECONDS);
            out.write((inTime ? rest : late).getBytes(StandardCharsets.UTF_8));
            out.flush();
        };
    }

    /** Promises a long body, sends {@code text}, then drops the connection. */
    static Responder cutOff(String text) {
        return exchange -> {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length + 10_000);
            exchange.getResponseBody().write(bytes);
            exchange.getResponseBody().flush();
            // Closing with bytes still owed makes the server drop the connection.
        };
    }

    /** Never answers until the server is closed. */
    Responder silent() {
        return exchange -> released.await();
    }

    /** Sends these lines, then waits silently until the server is closed. */
    Responder linesThenSilence(String contentType, String... lines) {
        return exchange -> {
            lines(contentType, lines).respond(exchange);
            released.await();
        };
    }

    /**
     * Sends {@code first}, then keeps writing {@code filler} every few milliseconds until a write fails
     * because the client closed the connection, and then counts down {@code clientGone}.
     */
    Responder streamUntilClientLeaves(String first, String filler, CountDownLatch clientGone) {
        return exchange -> {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            try {
                out.write((first + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                while (released.getCount() > 0) {
                    Thread.sleep(Duration.ofMillis(10));
                    out.write((filler + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException e) {
                clientGone.countDown();
            }
        };
    }

    private static void reply(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
