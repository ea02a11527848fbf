package dev.orbit.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.orbit.config.Secret;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * One request to an HTTP provider as its reply reader sees it: the reply's lines, and failures whose messages
 * name the provider, URL and model, give the elapsed time, and never contain the API key.
 */
final class ProviderCall {
    // A reply larger than this is not a chat answer; refusing it keeps a broken server from exhausting memory.
    static final int MAX_REPLY_BYTES = 32 * 1024 * 1024;
    private static final int MAX_ERROR_BYTES = 4096;
    private static final int MAX_DETAIL_CHARS = 300;

    private final String description;
    private final Optional<Secret> apiKey;
    private final Duration timeout;
    private final long started = System.nanoTime();
    private InputStream body;
    private long read;

    ProviderCall(String description, Optional<Secret> apiKey, Duration timeout) {
        this.description = description;
        this.apiKey = apiKey;
        this.timeout = timeout;
    }

    void open(InputStream stream) {
        // Buffered reads return what has arrived, so a streamed line is handed on as soon as it is complete.
        this.body = new BufferedInputStream(stream);
    }

    long remainingNanos() {
        return timeout.toNanos() - (System.nanoTime() - started);
    }

    /** The next line of the reply without its line terminator, or null at the end of the body. */
    String nextLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        int b;
        while ((b = body.read()) != -1) {
            count(1);
            if (b == '\n') {
                return text(line);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : text(line);
    }

    /** The rest of the reply as text. */
    String remainder() throws IOException {
        byte[] bytes = body.readNBytes(MAX_REPLY_BYTES + 1);
        count(bytes.length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The line or body parsed as JSON; malformed text is a failure. */
    JsonNode json(String text) {
        try {
            JsonNode node = ProviderEndpoint.JSON.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw failed("empty reply where JSON was expected");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw failed("malformed JSON in the reply: " + e.getOriginalMessage());
        }
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
            text = new String(body.readNBytes(MAX_ERROR_BYTES), StandardCharsets.UTF_8).strip();
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

    private static String text(ByteArrayOutputStream line) {
        int size = line.size();
        String text = line.toString(StandardCharsets.UTF_8);
        return size > 0 && text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
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
        return description + ": " + text;
    }
}
