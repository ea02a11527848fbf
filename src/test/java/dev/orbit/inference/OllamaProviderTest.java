package dev.orbit.inference;

import static dev.orbit.inference.FakeProviderServer.cutOff;
import static dev.orbit.inference.FakeProviderServer.json;
import static dev.orbit.inference.FakeProviderServer.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.config.InferenceProviderType;
import dev.orbit.config.ProviderSettings;
import dev.orbit.inference.FakeProviderServer.Recorded;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class OllamaProviderTest {
    private static final String NDJSON = "application/x-ndjson";
    private static final InferenceRequest REQUEST = new InferenceRequest("llama3.2",
            List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi")), InferenceOptions.NONE);

    private FakeProviderServer server;
    private ProviderFactory factory;

    @BeforeEach
    void start() throws Exception {
        server = FakeProviderServer.start();
        factory = new ProviderFactory();
    }

    @AfterEach
    void stop() {
        factory.close();
        server.close();
    }

    private InferenceProvider provider(Duration requestTimeout) {
        return provider(server.url(""), requestTimeout);
    }

    private InferenceProvider provider(URI baseUrl, Duration requestTimeout) {
        return factory.provider(InferenceProviderType.OLLAMA,
                new ProviderSettings(baseUrl, Optional.empty(), Duration.ofSeconds(2), requestTimeout));
    }

    private InferenceProvider provider() {
        return provider(Duration.ofSeconds(10));
    }

    /** Asking the server for {@link #REQUEST}, as it was told to answer, fails; and how (for more assertions). */
    private AbstractThrowableAssert<?, ? extends Throwable> assertCompleteFails() {
        return assertThatThrownBy(() -> provider().complete(REQUEST)).isInstanceOf(InferenceFailedException.class);
    }

    /** The same, streamed. */
    private AbstractThrowableAssert<?, ? extends Throwable> assertStreamFails() {
        return assertThatThrownBy(() -> provider().stream(REQUEST, delta -> true))
                .isInstanceOf(InferenceFailedException.class);
    }

    @Test
    void aRequestPostsModelMessagesOptionsAndStreamFalseToApiChat() throws Exception {
        server.respond(json(200, "{\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"done\":true}"));

        provider().complete(new InferenceRequest("llama3.2", REQUEST.messages(), InferenceOptions.of(0.5, 64)));

        Recorded request = server.takeRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/chat");
        assertThat(request.headers().getFirst("Content-Type")).isEqualTo("application/json");
        assertThat(request.headers().containsKey("Authorization")).isFalse();
        assertThat(request.json()).isEqualTo(ProviderEndpoint.JSON.readTree("""
                {"model": "llama3.2",
                 "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
                 "stream": false,
                 "options": {"temperature": 0.5, "num_predict": 64}}
                """));
    }

    @Test
    void aContextWindowIsSentAsNumCtx() throws Exception {
        server.respond(json(200, "{\"message\":{\"content\":\"Hello\"},\"done\":true}"));

        provider().complete(new InferenceRequest("llama3.2", REQUEST.messages(),
                new InferenceOptions(OptionalDouble.empty(), OptionalInt.empty(), OptionalInt.of(8192))));

        assertThat(server.takeRequest().json().get("options"))
                .isEqualTo(ProviderEndpoint.JSON.readTree("{\"num_ctx\": 8192}"));
    }

    @Test
    void aRequestWithoutOptionsSendsNoOptions() throws Exception {
        server.respond(json(200, "{\"message\":{\"content\":\"Hello\"},\"done\":true}"));

        provider().complete(REQUEST);

        assertThat(server.takeRequest().json().has("options")).isFalse();
    }

    @Test
    void aReplyGivesItsTextAndTheProvidersTokenCounts() {
        server.respond(json(200, """
                {"model":"llama3.2","message":{"role":"assistant","content":"Hello there"},"done":true,
                 "prompt_eval_count":12,"eval_count":3}
                """));

        Completion completion = provider().complete(REQUEST);

        assertThat(completion).isEqualTo(Completion.complete("Hello there", new Usage(12, 3, false)));
    }

    @Test
    void aReplyWithoutTokenCountsHasEstimatedUsage() {
        server.respond(json(200, "{\"message\":{\"content\":\"Hello there!\"},\"done\":true}"));

        Completion completion = provider().complete(REQUEST);

        // "Be brief." is 9 characters (3 tokens), "Hi" 2 (1 token); "Hello there!" 12 (3 tokens).
        assertThat(completion.usage()).isEqualTo(new Usage(4, 3, true));
    }

    @Test
    void aStreamDeliversEachDeltaInOrderAndReturnsTheirConcatenationWithUsage() throws Exception {
        server.respond(lines(NDJSON,
                "{\"message\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"done\":false}",
                "{\"message\":{\"role\":\"assistant\",\"content\":\"lo, \"},\"done\":false}",
                "{\"message\":{\"role\":\"assistant\",\"content\":\"wörld\"},\"done\":false}",
                "{\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\","
                        + "\"prompt_eval_count\":26,\"eval_count\":4}"));
        List<String> deltas = new ArrayList<>();

        Completion completion = provider().stream(REQUEST, deltas::add);

        assertThat(deltas).containsExactly("Hel", "lo, ", "wörld");
        assertThat(completion).isEqualTo(Completion.complete("Hello, wörld", new Usage(26, 4, false)));
        assertThat(server.takeRequest().json().get("stream").booleanValue()).isTrue();
    }

    @Test
    void anErrorStatusIsAFailureNamingTheProviderAndItsError() {
        server.respond(json(500, "{\"error\":\"model runner has unexpectedly stopped\"}"));

        assertCompleteFails()
                .hasMessage("ollama at " + server.url("") + " (model llama3.2): HTTP 500: model runner has"
                        + " unexpectedly stopped");
    }

    @Test
    void linesThatArrivedTogetherAreHeldBackAndSentOnBeforeTheStreamWaitsForMore() {
        RecordingSink sink = new RecordingSink("b");
        server.respond(FakeProviderServer.twoBursts(NDJSON, line("a", false) + line("b", false), sink.flushed(),
                line("c", false) + line("", true), line("late", false) + line("", true)));

        Completion completion = provider().stream(REQUEST, sink);

        assertThat(completion.text()).isEqualTo("abc");
        assertThat(sink.calls()).containsSubsequence("held a", "held b", "flush", "held c", "flush")
                .doesNotContain("at once a", "at once b", "at once c");
        assertThat(sink.calls().getLast()).isEqualTo("flush");
    }

    private static String line(String content, boolean done) {
        return "{\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\"},\"done\":" + done + "}\n";
    }

    @Test
    void anErrorStatusWithAPlainTextBodyShowsTheText() {
        server.respond(exchange -> {
            byte[] body = "Bad Gateway\n".getBytes();
            exchange.sendResponseHeaders(502, body.length);
            exchange.getResponseBody().write(body);
        });

        assertStreamFails()
                .hasMessageEndingWith("HTTP 502: Bad Gateway");
    }

    @Test
    void aMalformedReplyIsAFailure() {
        server.respond(json(200, "{\"message\": {\"content\": \"Hel"));

        assertCompleteFails()
                .hasMessageContaining("malformed JSON in the reply");
    }

    @Test
    void aReplyWithoutMessageContentIsAFailure() {
        server.respond(json(200, "{\"done\":true}"));

        assertCompleteFails()
                .hasMessageEndingWith("the reply has no message.content");
    }

    @Test
    void aMalformedStreamLineIsAFailure() {
        server.respond(lines(NDJSON, "{\"message\":{\"content\":\"Hel\"},\"done\":false}", "<html>"));

        assertStreamFails()
                .hasMessageContaining("malformed JSON in the reply");
    }

    @Test
    void anErrorLineInTheStreamIsAFailure() {
        server.respond(lines(NDJSON, "{\"message\":{\"content\":\"Hel\"},\"done\":false}",
                "{\"error\":\"out of memory\"}"));

        assertStreamFails()
                .hasMessageEndingWith("error in the reply: out of memory");
    }

    @Test
    void aStreamThatEndsBeforeDoneIsAFailure() {
        server.respond(lines(NDJSON, "{\"message\":{\"content\":\"Hel\"},\"done\":false}"));
        List<String> deltas = new ArrayList<>();

        assertThatThrownBy(() -> provider().stream(REQUEST, deltas::add))
                .isInstanceOf(InferenceFailedException.class)
                .hasMessageEndingWith("the stream ended before its last line (done: true)");
        assertThat(deltas).containsExactly("Hel");
    }

    @Test
    void aConnectionDroppedMidStreamIsAFailure() {
        server.respond(cutOff("{\"message\":{\"content\":\"Hel\"},\"done\":false}\n"));

        assertStreamFails()
                .hasMessageEndingWith("the reply broke off: the server closed the connection");
    }

    @Test
    @Timeout(10) // a time limit that never fires fails here instead of hanging the build
    void aServerThatNeverAnswersTimesOut() {
        server.respond(server.silent());
        long started = System.nanoTime();

        assertThatThrownBy(() -> provider(Duration.ofMillis(300)).complete(REQUEST))
                .isInstanceOf(InferenceTimeoutException.class)
                .hasMessageContaining("(model llama3.2): timed out after")
                .hasMessageEndingWith("ms (limit 300 ms)");
        // Generous: proves the limit ended the call, not the server closing at the end of the test.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    @Timeout(10) // a time limit that never fires fails here instead of hanging the build
    void aStreamThatStallsAfterItsFirstLineTimesOut() {
        server.respond(server.linesThenSilence(NDJSON, "{\"message\":{\"content\":\"Hel\"},\"done\":false}"));
        List<String> deltas = new ArrayList<>();

        assertThatThrownBy(() -> provider(Duration.ofMillis(300)).stream(REQUEST, deltas::add))
                .isInstanceOf(InferenceTimeoutException.class);
        assertThat(deltas).containsExactly("Hel");
    }

    @Test
    void aServerThatCannotBeReachedIsAFailure() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        assertThatThrownBy(() -> provider(URI.create("http://127.0.0.1:" + closedPort), Duration.ofSeconds(5))
                .complete(REQUEST))
                .isInstanceOf(InferenceFailedException.class)
                .hasMessageStartingWith("ollama at http://127.0.0.1:" + closedPort + " (model llama3.2): cannot connect");
    }

    @Test
    void aSinkThatSaysStopEndsTheStreamAndClosesTheConnection() throws Exception {
        CountDownLatch clientGone = new CountDownLatch(1);
        server.respond(server.streamUntilClientLeaves("{\"message\":{\"content\":\"Hel\"},\"done\":false}",
                "{\"message\":{\"content\":\"lo\"},\"done\":false}", clientGone));
        List<String> deltas = new ArrayList<>();

        Completion completion = provider().stream(REQUEST, delta -> {
            deltas.add(delta);
            return false;
        });

        assertThat(completion.cancelled()).isTrue();
        assertThat(completion.text()).isEqualTo("Hel");
        assertThat(deltas).containsExactly("Hel");
        assertThat(clientGone.await(10, TimeUnit.SECONDS)).as("the server saw the connection close").isTrue();
    }

    @Test
    void anExceptionFromTheSinkPropagatesUnchanged() {
        server.respond(lines(NDJSON, "{\"message\":{\"content\":\"Hel\"},\"done\":false}",
                "{\"message\":{\"content\":\"\"},\"done\":true}"));
        IllegalStateException failure = new IllegalStateException("client write failed");

        assertThatThrownBy(() -> provider().stream(REQUEST, delta -> {
            throw failure;
        })).isSameAs(failure);
    }
}
