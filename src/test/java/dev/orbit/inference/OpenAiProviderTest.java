package dev.orbit.inference;

import static dev.orbit.inference.FakeProviderServer.cutOff;
import static dev.orbit.inference.FakeProviderServer.json;
import static dev.orbit.inference.FakeProviderServer.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.config.InferenceProviderType;
import dev.orbit.config.ProviderSettings;
import dev.orbit.config.Secret;
import dev.orbit.inference.FakeProviderServer.Recorded;
import java.io.OutputStream;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class OpenAiProviderTest {
    private static final String SSE = "text/event-stream";
    private static final String KEY = "sk-test-0123456789abcdef";
    private static final InferenceRequest REQUEST = new InferenceRequest("gpt-4o-mini",
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

    private InferenceProvider provider(Optional<Secret> key, Duration requestTimeout) {
        return factory.provider(InferenceProviderType.OPENAI,
                new ProviderSettings(server.url("/v1"), key, Duration.ofSeconds(2), requestTimeout));
    }

    private InferenceProvider provider() {
        return provider(Optional.of(new Secret(KEY)), Duration.ofSeconds(10));
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

    private static String chunk(String content) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}]}";
    }

    @Test
    void aRequestPostsModelMessagesAndOptionsWithTheKeyAsBearerToChatCompletions() throws Exception {
        server.respond(json(200, "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi!\"}}]}"));

        provider().complete(new InferenceRequest("gpt-4o-mini", REQUEST.messages(), InferenceOptions.of(0.25, 100)));

        Recorded request = server.takeRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/chat/completions");
        assertThat(request.headers().getFirst("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(request.headers().getFirst("Content-Type")).isEqualTo("application/json");
        assertThat(request.json()).isEqualTo(ProviderEndpoint.JSON.readTree("""
                {"model": "gpt-4o-mini",
                 "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
                 "stream": false, "temperature": 0.25, "max_tokens": 100}
                """));
    }

    @Test
    void aStreamingRequestAsksForUsageInTheStream() throws Exception {
        server.respond(lines(SSE, "data: [DONE]", ""));

        provider().stream(REQUEST, delta -> true);

        Recorded request = server.takeRequest();
        assertThat(request.json().get("stream").booleanValue()).isTrue();
        assertThat(request.json().at("/stream_options/include_usage").booleanValue()).isTrue();
    }

    @Test
    void noCompressionIsAskedForAndTheRequestIsHttp11() throws Exception {
        server.respond(json(200, "{\"choices\":[{\"message\":{\"content\":\"Hi!\"}}]}"));

        provider().complete(REQUEST);

        Recorded request = server.takeRequest();
        assertThat(request.headers().containsKey("Accept-encoding")).isFalse();
        assertThat(request.protocol()).isEqualTo("HTTP/1.1");
    }

    @Test
    void aRedirectIsAFailureAndIsNotFollowed() throws Exception {
        server.respond(exchange -> {
            exchange.getResponseHeaders().set("Location", server.url("/v2/chat/completions").toString());
            exchange.sendResponseHeaders(307, -1);
        });

        assertCompleteFails()
                .hasMessageEndingWith("(model gpt-4o-mini): HTTP 307");
        assertThat(server.takeRequest().path()).isEqualTo("/v1/chat/completions");
        assertThat(server.requestsWaiting()).isZero();
    }

    @Test
    void withoutAKeyNoAuthorizationHeaderIsSent() throws Exception {
        server.respond(json(200, "{\"choices\":[{\"message\":{\"content\":\"Hi!\"}}]}"));

        provider(Optional.empty(), Duration.ofSeconds(10)).complete(REQUEST);

        assertThat(server.takeRequest().headers().containsKey("Authorization")).isFalse();
    }

    @Test
    void aReplyGivesItsTextAndTheProvidersTokenCounts() {
        server.respond(json(200, """
                {"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4o-mini",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hello there"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":19,"completion_tokens":2,"total_tokens":21}}
                """));

        Completion completion = provider().complete(REQUEST);

        assertThat(completion).isEqualTo(Completion.complete("Hello there", new Usage(19, 2, false)));
    }

    @Test
    void aReplyWithBytesThatAreNotUtf8IsReadWithReplacementCharacters() {
        byte[] head = "{\"choices\":[{\"message\":{\"content\":\"caf".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\"}}]}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        body[head.length] = (byte) 0xE9; // Latin-1 e-acute: not UTF-8
        System.arraycopy(tail, 0, body, head.length + 1, tail.length);
        server.respond(exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });

        assertThat(provider().complete(REQUEST).text()).isEqualTo("caf\uFFFD");
    }

    // A whole reply is read as it comes, however its body is cut into reads.
    @Test
    void aWholeReplyArrivingInBurstsGivesAllItsText() {
        String text = "wörld ✓ ".repeat(200); // about 2 KB

        assertThat(provider().complete(inTwoBursts(text)).text()).isEqualTo(text);
    }

    @Test
    void aLargeWholeReplyArrivingInBurstsGivesAllItsText() {
        String text = "wörld ✓ ".repeat(20_000); // about 220 KB of UTF-8, many reads of the provider's buffer

        assertThat(provider().complete(inTwoBursts(text)).text()).isEqualTo(text);
    }

    // Serves a reply whose content is `text` in two bursts, the second 100 ms after the first: the client reads the
    // first alone and waits for more (unless the machine stalls it for that long).
    private InferenceRequest inTwoBursts(String text) {
        byte[] body = ("{\"choices\":[{\"message\":{\"content\":\"" + text + "\"}}]}").getBytes(StandardCharsets.UTF_8);
        int half = body.length / 2;
        while ((body[half] & 0xC0) != 0x80) {
            half++; // to within a multi-byte character: the client must join bytes, not characters
        }
        int cut = half;
        server.respond(exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            OutputStream out = exchange.getResponseBody();
            out.write(body, 0, cut);
            out.flush();
            Thread.sleep(100);
            out.write(body, cut, body.length - cut);
            out.close();
        });
        return REQUEST;
    }

    @Test
    void aWholeReplyCutOffInItsBodyIsAFailure() {
        server.respond(cutOff("{\"choices\":[{\"message\":{\"content\":\"Hel"));

        assertThatThrownBy(() -> provider().complete(REQUEST))
                .isInstanceOf(InferenceFailedException.class)
                .hasMessageEndingWith("the reply broke off: the server closed the connection");
    }

    @Test
    @Timeout(10) // a time limit that never fires fails here instead of hanging the build
    void aWholeReplyWhoseBodyStallsTimesOut() {
        server.respond(server.linesThenSilence("application/json", "{\"choices\":"));
        long started = System.nanoTime();

        assertThatThrownBy(() -> provider(Optional.empty(), Duration.ofMillis(300)).complete(REQUEST))
                .isInstanceOf(InferenceTimeoutException.class)
                .hasMessageContaining("timed out after");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aReplyWithoutUsageHasEstimatedUsage() {
        server.respond(json(200, "{\"choices\":[{\"message\":{\"content\":\"Hello there!\"}}]}"));

        assertThat(provider().complete(REQUEST).usage()).isEqualTo(new Usage(4, 3, true));
    }

    @Test
    void aStreamDeliversEachDeltaInOrderAndReturnsTheirConcatenationWithUsage() {
        server.respond(lines(SSE,
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}", "",
                ": keep-alive", "",
                chunk("Hel"), "",
                chunk("lo, "), "",
                chunk("wörld"), "",
                "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}", "",
                "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":4,\"total_tokens\":23}}", "",
                "data: [DONE]", ""));
        List<String> deltas = new ArrayList<>();

        Completion completion = provider().stream(REQUEST, deltas::add);

        assertThat(deltas).containsExactly("Hel", "lo, ", "wörld");
        assertThat(completion).isEqualTo(Completion.complete("Hello, wörld", new Usage(19, 4, false)));
    }

    @Test
    void piecesThatArrivedTogetherAreHeldBackAndSentOnBeforeTheStreamWaitsForMore() {
        RecordingSink sink = new RecordingSink("b");
        // The second burst only once the relay has sent on what it holds: a relay that kept its pieces while it
        // waited for the next ones would wait here 5 s, and then get "late".
        server.respond(FakeProviderServer.twoBursts(SSE, chunk("a") + "\n\n" + chunk("b") + "\n\n", sink.flushed(),
                chunk("c") + "\n\ndata: [DONE]\n\n", chunk("late") + "\n\ndata: [DONE]\n\n"));

        Completion completion = provider().stream(REQUEST, sink);

        assertThat(completion.text()).isEqualTo("abc");
        assertThat(sink.calls()).containsSubsequence("held a", "held b", "flush", "held c", "flush")
                .doesNotContain("at once a", "at once b", "at once c");
        assertThat(sink.calls().getLast()).isEqualTo("flush"); // nothing held back once the stream is over
    }

    @Test
    void aStreamWithoutUsageHasEstimatedUsage() {
        server.respond(lines(SSE, chunk("Hello there!"), "", "data: [DONE]", ""));

        Completion completion = provider().stream(REQUEST, delta -> true);

        assertThat(completion).isEqualTo(Completion.complete("Hello there!", new Usage(4, 3, true)));
    }

    @Test
    void aDeltaLongerThanOneReadArrivesWholeWithItsCharactersIntact() {
        String text = "wörld ✓ ".repeat(5_000); // about 55 KB of UTF-8, multi-byte characters cut across reads
        server.respond(lines(SSE, chunk(text) + "\r", "", chunk("!"), "", "data: [DONE]", ""));
        List<String> deltas = new ArrayList<>();

        assertThat(provider().stream(REQUEST, deltas::add).text()).isEqualTo(text + "!");
        assertThat(deltas).containsExactly(text, "!");
    }

    @Test
    void crlfLineEndsAndDataWithoutASpaceAreRead() {
        server.respond(lines(SSE, "data:{\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\r", "\r",
                "data: [DONE]\r", "\r"));

        assertThat(provider().stream(REQUEST, delta -> true).text()).isEqualTo("a");
    }

    @Test
    void anErrorStatusIsAFailureThatNeverShowsTheKey() {
        server.respond(json(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + ".\","
                + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));

        assertCompleteFails()
                .hasMessage("openai at " + server.url("/v1") + " (model gpt-4o-mini): HTTP 401: Incorrect API key"
                        + " provided: <redacted>.")
                .satisfies(e -> assertThat(e.toString()).doesNotContain(KEY));
    }

    @Test
    void aServerErrorIsAFailure() {
        server.respond(json(500, "{\"error\":{\"message\":\"The server had an error\"}}"));

        assertStreamFails()
                .hasMessageEndingWith("HTTP 500: The server had an error");
    }

    @Test
    void aMalformedReplyIsAFailureThatNeverShowsTheKey() {
        // A bare word: the parser quotes the token it could not read (up to the first '-', so none here).
        String key = "secretkey0123456789";
        server.respond(json(200, key));

        assertThatThrownBy(() -> provider(Optional.of(new Secret(key)), Duration.ofSeconds(10)).complete(REQUEST))
                .isInstanceOf(InferenceFailedException.class)
                .hasMessageContaining("malformed JSON in the reply: Unrecognized token '<redacted>'")
                .satisfies(e -> assertThat(e.toString()).doesNotContain(key));
    }

    @Test
    void anEmptyReplyIsAFailureThatSaysSo() {
        server.respond(json(200, ""));

        assertCompleteFails()
                .hasMessageEndingWith("empty reply where JSON was expected");
    }

    @Test
    void aReplyWithoutChoicesIsAFailure() {
        server.respond(json(200, "{\"object\":\"chat.completion\",\"choices\":[]}"));

        assertCompleteFails()
                .hasMessageEndingWith("the reply has no choices[0].message.content");
    }

    @Test
    void aMalformedChunkIsAFailure() {
        server.respond(lines(SSE, chunk("Hel"), "", "data: {not json", "", "data: [DONE]", ""));

        assertStreamFails()
                .hasMessageContaining("malformed JSON in the reply");
    }

    @Test
    void aChunkIsReadForItsFirstChoicesDeltaTextWhateverElseItHolds() {
        server.respond(lines(SSE,
                // Nested fields, other choices, a delta after others and a usage of null are all skipped or read
                // as a whole reply's tree would read them.
                "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"logprobs\":{\"content\":[{\"t\":[1,{}]}]},"
                        + "\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"content\":\"no\"}],\"content\":\"A\"}},"
                        + "{\"delta\":{\"content\":\"other choice\"}}],\"usage\":null,\"error\":null}", "",
                "data: {\"choices\":[{\"delta\":{\"content\":null}}]}", "",
                "data: {\"choices\":[{\"delta\":{\"content\":7}}]}", "",
                "data: {\"choices\":[\"not an object\",{\"delta\":{\"content\":\"second\"}}]}", "",
                "data: {\"choices\":{\"delta\":{\"content\":\"not an array\"}}}", "",
                "data: {\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1},\"choices\":[{\"delta\":{\"content\":\"B\"}}]}",
                "", "data: [DONE]", ""));
        List<String> deltas = new ArrayList<>();

        Completion completion = provider().stream(REQUEST, deltas::add);

        assertThat(deltas).containsExactly("A", "B");
        assertThat(completion).isEqualTo(Completion.complete("AB", new Usage(5, 1, false)));
    }

    @Test
    void aChunkThatIsNotAnObjectOrBreaksOffAfterItsTextIsAFailureAndItsTextIsNotRelayed() {
        server.respond(lines(SSE, chunk("Hel"), "", "data: [\"lo\"]", "", "data: [DONE]", ""));
        assertStreamFails()
                .hasMessageEndingWith("expected a JSON object in the reply");

        server.respond(lines(SSE, chunk("Hel"), "",
                "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}],\"id\":tru}", "", "data: [DONE]", ""));
        List<String> deltas = new ArrayList<>();
        assertThatThrownBy(() -> provider().stream(REQUEST, deltas::add))
                .isInstanceOf(InferenceFailedException.class)
                .hasMessageContaining("malformed JSON in the reply");
        assertThat(deltas).containsExactly("Hel");

        server.respond(lines(SSE, chunk("Hel"), "", "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}", "",
                "data: [DONE]", ""));
        assertStreamFails()
                .hasMessageContaining("malformed JSON in the reply");
    }

    @Test
    void anErrorInAChunkWithTextIsAFailureWhateverItsShape() {
        server.respond(lines(SSE, "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}],\"error\":\"overloaded\"}", ""));
        assertStreamFails()
                .hasMessageEndingWith("error in the reply: overloaded");

        server.respond(lines(SSE, "data: {\"error\":{\"code\":429}}", ""));
        assertStreamFails()
                .hasMessageEndingWith("error in the reply: {\"code\":429}");
    }

    @Test
    void aFieldGivenTwiceCountsWithItsLastValueAsInATree() {
        server.respond(lines(SSE,
                "data: {\"choices\":[{\"delta\":{\"content\":\"a\",\"content\":null}}]}", "",
                "data: {\"choices\":[{\"delta\":{\"content\":\"b\"},\"delta\":7}]}", "",
                "data: {\"choices\":[{\"delta\":{\"content\":\"c\"}}],\"choices\":{}}", "",
                "data: {\"choices\":[{\"delta\":{\"content\":\"d\"}}]}", "",
                "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1},\"usage\":null}", "",
                "data: [DONE]", ""));
        List<String> deltas = new ArrayList<>();

        Completion completion = provider().stream(REQUEST, deltas::add);

        assertThat(deltas).containsExactly("d");
        assertThat(completion.usage().estimated()).isTrue();
    }

    @Test
    void anErrorThatSaysNothingIsNoFailureHoweverOftenItComes() {
        // An array is no error message (as in a whole reply); given many times it is still judged once.
        String errors = ",\"error\":[]".repeat(20_000);
        server.respond(lines(SSE, "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]" + errors + "}", "",
                "data: [DONE]", ""));

        assertThat(provider().stream(REQUEST, delta -> true).text()).isEqualTo("x");
    }

    @Test
    void anEventOfSeveralDataLinesIsTheirTextJoinedByNewlines() {
        server.respond(lines(SSE, "data: {\"choices\":[{\"delta\":", "data: {\"content\":\"x\"}}]}", "",
                "data: {\"choices\":[{\"delta\":{\"content\":", "data:\"y\"", "data: }}]}", "",
                "data: [DONE]", ""));
        List<String> deltas = new ArrayList<>();

        provider().stream(REQUEST, deltas::add);

        assertThat(deltas).containsExactly("x", "y");
    }

    @Test
    void anErrorEventInTheStreamIsAFailure() {
        server.respond(lines(SSE, chunk("Hel"), "",
                "data: {\"error\":{\"message\":\"context length exceeded\"}}", ""));

        assertStreamFails()
                .hasMessageEndingWith("error in the reply: context length exceeded");
    }

    @Test
    void aStreamThatEndsBeforeDoneIsAFailure() {
        server.respond(lines(SSE, chunk("Hel"), "", chunk("lo"), ""));
        List<String> deltas = new ArrayList<>();

        assertThatThrownBy(() -> provider().stream(REQUEST, deltas::add))
                .isInstanceOf(InferenceFailedException.class)
                .hasMessageEndingWith("the stream ended before data: [DONE]");
        assertThat(deltas).containsExactly("Hel", "lo");
    }

    @Test
    void aConnectionDroppedMidStreamIsAFailure() {
        server.respond(cutOff(chunk("Hel") + "\n\n"));

        assertStreamFails()
                .hasMessageEndingWith("the reply broke off: the server closed the connection");
    }

    @Test
    @Timeout(10) // a time limit that never fires fails here instead of hanging the build
    void aServerThatNeverAnswersTimesOut() {
        server.respond(server.silent());
        long started = System.nanoTime();

        assertThatThrownBy(() -> provider(Optional.of(new Secret(KEY)), Duration.ofMillis(300)).complete(REQUEST))
                .isInstanceOf(InferenceTimeoutException.class)
                .hasMessageContaining("(model gpt-4o-mini): timed out after")
                .satisfies(e -> assertThat(e.toString()).doesNotContain(KEY));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    @Timeout(10) // a time limit that never fires fails here instead of hanging the build
    void aStreamThatStallsTimesOut() {
        server.respond(server.linesThenSilence(SSE, chunk("Hel"), ""));
        List<String> deltas = new ArrayList<>();

        assertThatThrownBy(() -> provider(Optional.empty(), Duration.ofMillis(300)).stream(REQUEST, deltas::add))
                .isInstanceOf(InferenceTimeoutException.class);
        assertThat(deltas).containsExactly("Hel");
    }

    @Test
    void aSinkThatSaysStopEndsTheStreamAndClosesTheConnection() throws Exception {
        CountDownLatch clientGone = new CountDownLatch(1);
        server.respond(server.streamUntilClientLeaves(chunk("Hel") + "\n", chunk("lo") + "\n", clientGone));

        Completion completion = provider().stream(REQUEST, delta -> false);

        assertThat(completion.cancelled()).isTrue();
        assertThat(completion.text()).isEqualTo("Hel");
        assertThat(clientGone.await(10, TimeUnit.SECONDS)).as("the server saw the connection close").isTrue();
    }

    @Test
    void aStreamWhoseBodyStaysOpenAfterDoneEndsWithinTheGraceNotTheTimeout() {
        server.respond(server.linesThenSilence(SSE, chunk("Hello"), "", "data: [DONE]", ""));
        long started = System.nanoTime();

        Completion completion = provider(Optional.empty(), Duration.ofSeconds(30)).stream(REQUEST, delta -> true);

        assertThat(completion.cancelled()).isFalse();
        assertThat(completion.text()).isEqualTo("Hello");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void aServerThatKeepsSendingAfterDoneIsCutOffAndTheAnswerKept() throws Exception {
        CountDownLatch clientGone = new CountDownLatch(1);
        server.respond(server.streamUntilClientLeaves(chunk("Hi") + "\n\ndata: [DONE]\n", ": keep-alive\n",
                clientGone));

        Completion completion = provider(Optional.empty(), Duration.ofSeconds(30)).stream(REQUEST, delta -> true);

        assertThat(completion.cancelled()).isFalse();
        assertThat(completion.text()).isEqualTo("Hi");
        assertThat(clientGone.await(10, TimeUnit.SECONDS)).as("the server saw the connection close").isTrue();
    }
}
