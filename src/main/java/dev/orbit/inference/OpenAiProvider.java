package dev.orbit.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
            JsonNode reply = call.json(call.remainder());
            checkError(call, reply);
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
            for (String data = nextEvent(call); data != null; data = nextEvent(call)) {
                if (data.strip().equals(DONE)) {
                    call.finishBody();
                    return Completion.complete(text.toString(), usage(usage, request, text.toString()));
                }
                JsonNode chunk = call.json(data);
                checkError(call, chunk);
                JsonNode content = chunk.path("choices").path(0).path("delta").path("content");
                if (content.isTextual() && !content.textValue().isEmpty()) {
                    text.append(content.textValue());
                    if (!sink.onDelta(content.textValue())) {
                        return Completion.cancelled(text.toString(), Usage.estimate(request.messages(), text.toString()));
                    }
                }
                if (chunk.path("usage").isObject()) {
                    usage = chunk.path("usage");
                }
            }
            throw call.failed("the stream ended before data: [DONE]");
        });
    }

    // The data of the next server-sent event (its data lines joined by newlines), or null at the end of the
    // body. Comments (":") and other fields (event, id, retry) are skipped.
    private static String nextEvent(ProviderCall call) throws IOException {
        StringBuilder data = null;
        for (String line = call.nextLine(); line != null; line = call.nextLine()) {
            if (line.isEmpty()) {
                if (data != null) {
                    return data.toString();
                }
                continue;
            }
            if (line.startsWith("data:")) {
                String value = line.substring(5);
                value = value.startsWith(" ") ? value.substring(1) : value;
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
        }
        return data == null ? null : data.toString();
    }

    private static ObjectNode body(InferenceRequest request, boolean stream) {
        ObjectNode body = ProviderEndpoint.JSON.createObjectNode();
        body.put("model", request.model());
        var messages = body.putArray("messages");
        request.messages().forEach(m -> messages.addObject().put("role", m.role()).put("content", m.content()));
        body.put("stream", stream);
        if (stream) {
            body.putObject("stream_options").put("include_usage", true);
        }
        request.options().temperature().ifPresent(t -> body.put("temperature", t));
        request.options().maxTokens().ifPresent(n -> body.put("max_tokens", n));
        return body;
    }

    private static void checkError(ProviderCall call, JsonNode reply) {
        if (!reply.isObject()) {
            throw call.failed("expected a JSON object in the reply");
        }
        ProviderCall.errorMessage(reply).ifPresent(error -> {
            throw call.failed("error in the reply: " + error);
        });
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
