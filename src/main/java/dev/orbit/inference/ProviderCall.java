package dev.orbit.inference;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.orbit.config.Secret;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One request to an HTTP provider as its reply reader sees it: the reply's lines, and failures whose messages
 * name the provider, URL and model, give the elapsed time, and never contain the API key.
 */
final class ProviderCall {
    // A reply larger than this is not a chat answer; refusing it keeps a broken server from exhausting memory.
    static final int MAX_REPLY_BYTES = 32 * 1024 * 1024;
    private static final int MAX_ERROR_BYTES = 4096;
    private static final int MAX_DETAIL_CHARS = 300;
    // After a stream's own last event, what a well-behaved server still sends (the chunked body's end) arrives at
    // once; a server that keeps the body open longer, or keeps sending, is cut off as before.
    static final Duration END_GRACE = Duration.ofMillis(250);
    private static final int MAX_TRAILING_BYTES = 64 * 1024;

    // Built only when a failure is described: most calls succeed.
    private final Supplier<String> description;
    private final Optional<Secret> apiKey;
    private final Duration timeout;
    private final long started = System.nanoTime();
    private ReplyBody body;
    // Starts cutting the exchange off after the given time; running what it returns calls that off.
    private Function<Duration, Runnable> watchdog;
    private long read;
    // The reply's bytes read from the stream and not handed out yet: buffer[start, end). A read returns what one
    // chunk of the reply brought, and a streamed event is a few hundred bytes: a larger buffer would only be more
    // to allocate on every call.
    private final byte[] buffer = new byte[2048];
    private int start;
    private int end;
    // Whether a read saw the body's end: only then can the exchange complete with its connection kept for the next.
    private boolean ended;
    private StreamSink relay; // null: not a relayed stream

    ProviderCall(Supplier<String> description, Optional<Secret> apiKey, Duration timeout) {
        this.description = description;
        this.apiKey = apiKey;
        this.timeout = timeout;
    }

    void open(ReplyBody body, Function<Duration, Runnable> watchdog) {
        this.body = body;
        this.watchdog = watchdog;
    }

    /**
     * Makes this call a streamed reply relayed to {@code sink} in pieces given to {@link StreamSink#onBufferedDelta}:
     * pieces that arrived together go on in one write, since the sink is flushed only whenever reading the reply is
     * about to wait for its next bytes, and by {@link #finishBody()}. So a piece received never waits for the next.
     */
    void relayTo(StreamSink sink) {
        relay = sink;
        body.beforeWaiting(sink::flush);
    }

    /**
     * Reads the body to its end after the protocol's own last event (a stream's {@code [DONE]} or {@code done:
     * true}), so that the exchange completes and its connection serves the next call; closing the body before its
     * end aborts the exchange and drops the connection. Bounded by {@link #END_GRACE} and a few KB: past that the
     * exchange is cut off, which costs only the next call a new connection. A server that keeps every body open after
     * its last event adds the grace to each call (and loses its connection each time).
     */
    void finishBody() {
        if (relay != null) {
            relay.flush(); // the reply is complete: nothing it relayed is held back while its body's end is awaited
        }
        // Never past the call's own deadline.
        Runnable callOff = watchdog.apply(Duration.ofNanos(Math.max(0, Math.min(END_GRACE.toNanos(), remainingNanos()))));
        try {
            int trailing = end - start;
            start = end;
            for (int n = 0; n != -1 && trailing <= MAX_TRAILING_BYTES; n = body.read(buffer, 0, buffer.length)) {
                trailing += n;
            }
            ended = trailing <= MAX_TRAILING_BYTES;
        } catch (IOException e) {
            // Cut off by the watchdog or broken off: the answer is complete, only the connection is lost.
        } finally {
            start = 0;
            end = 0;
            callOff.run();
        }
    }

    /** Whether the body was read to its end (not cut off, not abandoned after a cancel). */
    boolean ended() {
        return ended;
    }

    long remainingNanos() {
        return timeout.toNanos() - (System.nanoTime() - started);
    }

    /**
     * The next line of the reply without its line terminator, or null at the end of the body. Reads return what
     * has arrived, so a streamed line is handed on as soon as it is complete; lines are cut from one buffer, not
     * read byte by byte.
     */
    String nextLine() throws IOException {
        ByteArrayOutputStream longLine = null; // a line longer than what one read brought
        while (true) {
            for (int i = start; i < end; i++) {
                if (buffer[i] == '\n') {
                    String line = longLine == null ? text(buffer, start, i - start) : joined(longLine, i);
                    start = i + 1;
                    return line;
                }
            }
            if (end > start) {
                longLine = longLine == null ? new ByteArrayOutputStream(2 * buffer.length) : longLine;
                longLine.write(buffer, start, end - start);
            }
            if (!fill()) {
                return longLine == null ? null : text(longLine.toByteArray(), 0, longLine.size());
            }
        }
    }

    /**
     * The rest of the reply parsed as JSON; malformed text is a failure. Decoded as text first, as streamed lines are:
     * a byte that is not UTF-8 becomes U+FFFD rather than failing the reply.
     */
    JsonNode jsonRemainder() throws IOException {
        return json(rest(MAX_REPLY_BYTES + 1).toString(StandardCharsets.UTF_8));
    }

    /**
     * The bytes buffered and those still to come, at most {@code limit} (counted against the reply's bound), read
     * through the call's own buffer into an array that grows with the reply (a chat answer is a few KB at most).
     */
    private ByteArrayOutputStream rest(int limit) throws IOException {
        ByteArrayOutputStream rest = new ByteArrayOutputStream(buffer.length);
        int buffered = Math.min(end - start, limit);
        rest.write(buffer, start, buffered);
        start += buffered;
        while (rest.size() < limit) {
            int n = body.read(buffer, 0, Math.min(buffer.length, limit - rest.size()));
            if (n == -1) {
                ended = true;
                break;
            }
            count(n);
            rest.write(buffer, 0, n);
        }
        start = 0;
        end = 0;
        return rest;
    }

    /** Reads what has arrived into the empty buffer; false at the end of the body. */
    private boolean fill() throws IOException {
        start = 0;
        end = 0;
        int n = body.read(buffer, 0, buffer.length);
        if (n == -1) {
            ended = true;
            return false;
        }
        count(n);
        end = n;
        return true;
    }

    private String joined(ByteArrayOutputStream head, int newline) {
        head.write(buffer, start, newline - start);
        return text(head.toByteArray(), 0, head.size());
    }

    /** The line or body parsed as JSON; malformed text is a failure. */
    JsonNode json(String text) {
        JsonNode node = parse(text, ProviderEndpoint.JSON::readTree);
        if (node == null || node.isMissingNode()) {
            throw failed("empty reply where JSON was expected");
        }
        return node;
    }

    /** What a reader makes of JSON text as it parses it, token by token. */
    @FunctionalInterface
    interface JsonReading<T> {
        T read(JsonParser parser) throws IOException;
    }

    /**
     * What {@code reading} makes of {@code text} as it parses it, without building a tree of it; malformed text is a
     * failure, as with {@link #json(String)}.
     */
    <T> T parse(String text, JsonReading<T> reading) {
        try (JsonParser parser = ProviderEndpoint.JSON.createParser(text)) {
            return reading.read(parser);
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    private InferenceFailedException malformed(IOException e) {
        return failed("malformed JSON in the reply: "
                + (e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage()));
    }

    /** Fails unless a reply (or a streamed piece of one) is a JSON object that reports no error. */
    void checkReply(JsonNode reply) {
        if (!reply.isObject()) {
            throw failed("expected a JSON object in the reply");
        }
        errorMessage(reply).ifPresent(error -> {
            throw failed("error in the reply: " + error);
        });
    }

    /** A provider failure: {@code detail} says what went wrong. */
    InferenceFailedException failed(String detail) {
        return new InferenceFailedException(message(detail));
    }

    InferenceFailedException failed(String detail, Throwable cause) {
        return new InferenceFailedException(message(detail), cause);
    }

    InferenceTimeoutException timedOut(Throwable cause) {
        return new InferenceTimeoutException(message("timed out after " + elapsedMillis() + " ms (limit "
                + timeout.toMillis() + " ms)"), cause);
    }

    InferenceTimeoutException connectTimedOut(Duration connectTimeout, Throwable cause) {
        return new InferenceTimeoutException(message("could not connect within " + connectTimeout.toMillis()
                + " ms"), cause);
    }

    /** ": " and the error a non-2xx reply explains itself with, or "" if it says nothing useful. */
    String errorDetail() {
        String text;
        try {
            text = rest(MAX_ERROR_BYTES).toString(StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
        String detail = text;
        try {
            JsonNode node = ProviderEndpoint.JSON.readTree(text);
            detail = node == null ? text : errorMessage(node)
                    .or(() -> node.path("detail").isTextual() ? Optional.of(node.path("detail").textValue()) : Optional.empty())
                    .orElse(text);
        } catch (JsonProcessingException e) {
            // Not JSON (a proxy's HTML page, plain text): show the text itself.
        }
        return detail.isBlank() ? "" : ": " + detail;
    }

    /** The error a provider's JSON reports: {@code error} as text or {@code error.message} (Ollama, OpenAI). */
    static Optional<String> errorMessage(JsonNode node) {
        JsonNode error = node.path("error");
        if (error.isTextual()) {
            return Optional.of(error.textValue());
        }
        if (error.path("message").isTextual()) {
            return Optional.of(error.path("message").textValue());
        }
        if (error.isObject() || (error.isValueNode() && !error.isNull())) {
            return Optional.of(error.toString());
        }
        return Optional.empty();
    }

    long elapsedMillis() {
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }

    private void count(int bytes) throws IOException {
        read += bytes;
        if (read > MAX_REPLY_BYTES) {
            throw failed("the reply is larger than " + MAX_REPLY_BYTES + " bytes");
        }
    }

    /** A line's bytes as text, without a final carriage return. */
    private static String text(byte[] bytes, int offset, int length) {
        int size = length > 0 && bytes[offset + length - 1] == '\r' ? length - 1 : length;
        return new String(bytes, offset, size, StandardCharsets.UTF_8);
    }

    // One line, length-limited, with the key taken out wherever the provider echoed it (before cutting, so no
    // part of the key can survive at the cut).
    private String message(String detail) {
        String text = detail;
        if (apiKey.isPresent() && !apiKey.get().value().isEmpty()) {
            text = text.replace(apiKey.get().value(), "<redacted>");
        }
        text = text.strip().replaceAll("\\s*\\R\\s*", " ");
        if (text.length() > MAX_DETAIL_CHARS) {
            text = text.substring(0, MAX_DETAIL_CHARS) + "...";
        }
        return description.get() + ": " + text;
    }
}
