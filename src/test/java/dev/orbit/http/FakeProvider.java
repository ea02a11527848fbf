package dev.orbit.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An OpenAI-compatible provider on 127.0.0.1 for the chat tests: it records every request body and answers
 * as the test set it ({@link Mode}). Adapters reach it with {@code inference_provider: openai} and
 * {@link #baseUrl()}.
 */
final class FakeProvider implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the provider answers. */
    enum Mode {
        /** A reply "Fake reply" as JSON, or streamed in two pieces ending with [DONE]. */
        REPLY,
        /** 500 with an error body. */
        FAIL,
        /** Accepts the request and never answers. */
        HANG,
        /** Streams one piece, then breaks the connection. */
        BREAK_OFF,
        /** As REPLY, but only once {@link #release} is called: a turn still running at a moment the test picks. */
        HOLD,
        /** As REPLY streamed, but the second piece only once {@link #release} is called. */
        FIRST_THEN_HOLD
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile Mode mode = Mode.REPLY;

    FakeProvider() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    void mode(Mode value) {
        mode = value;
    }

    /** Lets the requests held in {@link Mode#HOLD} be answered. */
    void release() {
        released.countDown();
    }

    /** Waits until this many requests have arrived (at most 30 s). */
    void awaitRequests(int count) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (requests.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the provider got " + requests.size() + " requests, not " + count);
            }
            Thread.sleep(10);
        }
    }

    /** The bodies of the requests received so far. */
    List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            requests.add(body);
            boolean stream = body.path("stream").asBoolean(false);
            Mode answer = mode;
            if (answer == Mode.HOLD) {
                released.await();
                answer = Mode.REPLY;
            }
            switch (answer) {
                case HOLD -> throw new AssertionError("answered as REPLY above");
                case REPLY -> {
                    if (stream) {
                        events(exchange, List.of(chunk("Fake"), chunk(" reply"), "[DONE]"), false);
                    } else {
                        send(exchange, 200, "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"Fake reply\"}}],"
                                + "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":2}}");
                    }
                }
                case FAIL -> send(exchange, 500, "{\"error\":{\"message\":\"model exploded\"}}");
                case HANG -> closed.await();
                case BREAK_OFF -> events(exchange, List.of(chunk("Half")), true);
                case FIRST_THEN_HOLD -> {
                    events(exchange, List.of(chunk("Fake")), false);
                    released.await();
                    events(exchange, List.of(chunk(" reply"), "[DONE]"), false);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The gateway gave up on us (a timeout test): nothing to answer.
        }
    }

    private static String chunk(String content) {
        return "{\"choices\":[{\"delta\":{\"content\":\"" + content + "\"}}]}";
    }

    private static void events(HttpExchange exchange, List<String> data, boolean breakOff) throws IOException {
        if (exchange.getResponseCode() == -1) { // the headers, unless an earlier call sent them
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, breakOff ? 100_000 : 0);
        }
        OutputStream out = exchange.getResponseBody();
        for (String event : data) {
            out.write(("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
        // With breakOff, closing owes bytes the client was promised: the connection is dropped mid-stream.
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        closed.countDown();
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
