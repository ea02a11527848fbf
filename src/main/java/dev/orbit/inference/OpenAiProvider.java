package dev.orbit.inference;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Objects;

/**
 * Any OpenAI-compatible server (OpenAI, vLLM, llama.cpp server, ...): {@code POST <base_url>/chat/completions}
 * with {@code Authorization: Bearer <key>} when a key is configured. Streamed replies are server-sent events
 * {@code data: {...}} carrying {@code choices[0].delta.content}, usage in a last chunk when the server sends it
 * ({@code stream_options.include_usage}), and {@code data: [DONE]} at the end; a stream without it broke off.
 */
public final class OpenAiProvider implements InferenceProvider {
    public static final String NAME = "openai";
    private static final String DONE = "[DONE]";

    private final ProviderEndpoint endpoint;

    OpenAiProvider(ProviderEndpoint endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Completion complete(InferenceRequest request) {
        return endpoint.post("/chat/completions", request.model(), body(request, false), call -> {
            JsonNode reply = call.jsonRemainder();
            call.checkReply(reply);
            JsonNode content = reply.path("choices").path(0).path("message").path("content");
            if (!content.isTextual()) {
                throw call.failed("the reply has no choices[0].message.content");
            }
            return Completion.complete(content.textValue(), usage(reply.path("usage"), request, content.textValue()));
        });
    }

    @Override
    public Completion stream(InferenceRequest request, StreamSink sink) {
        Objects.requireNonNull(sink, "sink");
        return endpoint.post("/chat/completions", request.model(), body(request, true), call -> {
            StringBuilder text = new StringBuilder();
            JsonNode usage = null;
            call.relayTo(sink); // what arrived together goes on in one write
            for (String data = nextEvent(call); data != null; data = nextEvent(call)) {
                if (data.strip().equals(DONE)) {
                    call.finishBody();
                    return Completion.complete(text.toString(), usage(usage, request, text.toString()));
                }
                String event = data;
                Chunk chunk = call.parse(data, parser -> Chunk.read(parser, () -> call.checkReply(call.json(event))));
                if (chunk.content() != null && !chunk.content().isEmpty()) {
                    text.append(chunk.content());
                    if (!sink.onBufferedDelta(chunk.content())) {
                        return Completion.cancelled(text.toString(), Usage.estimate(request.messages(), text.toString()));
                    }
                }
                if (chunk.usage() != null) {
                    usage = chunk.usage();
                }
            }
            throw call.failed("the stream ended before data: [DONE]");
        });
    }

    /**
     * What one streamed chunk says: {@code choices[0].delta.content} (null: none) and {@code usage} (null: none),
     * read token by token, since a reply comes in many chunks and only these two fields of each matter. The rest is
     * skipped, but still parsed, so malformed JSON anywhere in the chunk is a failure. A field given twice counts
     * as a tree counts it: its last value, whatever its type.
     */
    private record Chunk(String content, JsonNode usage) {
        /**
         * Reads a chunk; {@code fullCheck} judges it whole, as a non-streamed reply is judged (and throws), when the
         * chunk is not an object or has an error: both are rare, and the whole reply's rules then apply unchanged.
         * It runs once at most: a check of the whole chunk has seen all its errors.
         */
        static Chunk read(JsonParser json, Runnable fullCheck) throws IOException {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                fullCheck.run();
                throw new IllegalStateException("a chunk that is not a JSON object passed the check");
            }
            String content = null;
            JsonNode usage = null;
            boolean checked = false;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                switch (field) {
                    case "choices" -> content = value == JsonToken.START_ARRAY ? firstDeltaContent(json) : null;
                    case "usage" -> usage = value == JsonToken.START_OBJECT ? json.readValueAsTree() : null;
                    case "error" -> {
                        if (value != JsonToken.VALUE_NULL && !checked) {
                            fullCheck.run();
                            checked = true;
                        }
                    }
                    default -> {
                    }
                }
                json.skipChildren(); // whatever the case left unread (nothing after a whole read)
            }
            return new Chunk(content, usage);
        }

        // From the array's start to its end: the content of its first element's delta, if it is text.
        private static String firstDeltaContent(JsonParser json) throws IOException {
            String content = null;
            JsonToken element = json.nextToken();
            if (element == JsonToken.START_OBJECT) {
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String field = json.currentName();
                    JsonToken value = json.nextToken();
                    if (field.equals("delta")) {
                        content = value == JsonToken.START_OBJECT ? textField(json, "content") : null;
                    }
                    json.skipChildren();
                }
            }
            for (JsonToken next = element; next != JsonToken.END_ARRAY && next != null; next = json.nextToken()) {
                json.skipChildren();
            }
            return content;
        }

        // From an object's start to its end: the text of its field {@code name}, if it has one.
        private static String textField(JsonParser json, String name) throws IOException {
            String text = null;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                if (field.equals(name)) {
                    text = value == JsonToken.VALUE_STRING ? json.getText() : null;
                }
                json.skipChildren();
            }
            return text;
        }
    }

    // The data of the next server-sent event (its data lines joined by newlines), or null at the end of the
    // body. Comments (":") and other fields (event, id, retry) are skipped.
    private static String nextEvent(ProviderCall call) throws IOException {
        String first = null; // an event has one data line, as a rule: a builder only when there are more
        StringBuilder more = null;
        for (String line = call.nextLine(); line != null; line = call.nextLine()) {
            if (line.isEmpty()) {
                if (first != null) {
                    break;
                }
                continue;
            }
            if (line.startsWith("data:")) {
                String value = line.substring(line.startsWith("data: ") ? 6 : 5);
                if (first == null) {
                    first = value;
                } else {
                    more = (more == null ? new StringBuilder(first) : more).append('\n').append(value);
                }
            }
        }
        return more != null ? more.toString() : first;
    }

    private static ProviderEndpoint.RequestBody body(InferenceRequest request, boolean stream) {
        return json -> {
            json.writeStringField("model", request.model());
            ProviderEndpoint.writeMessages(json, request.messages());
            json.writeBooleanField("stream", stream);
            if (stream) {
                json.writeObjectFieldStart("stream_options");
                json.writeBooleanField("include_usage", true);
                json.writeEndObject();
            }
            InferenceOptions options = request.options();
            if (options.temperature().isPresent()) {
                json.writeNumberField("temperature", options.temperature().getAsDouble());
            }
            if (options.maxTokens().isPresent()) {
                json.writeNumberField("max_tokens", options.maxTokens().getAsInt());
            }
        };
    }

    private static Usage usage(JsonNode usage, InferenceRequest request, String text) {
        JsonNode counts = usage == null ? ProviderEndpoint.JSON.missingNode() : usage;
        return Usage.of(count(counts.path("prompt_tokens")), count(counts.path("completion_tokens")),
                request.messages(), text);
    }

    private static Long count(JsonNode node) {
        return node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0 ? node.longValue() : null;
    }
}
