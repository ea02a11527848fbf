package dev.orbit.inference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * Ollama's native chat API: {@code POST /api/chat}. Streamed replies are NDJSON, one object per line with
 * {@code message.content}, the last with {@code done: true} and the token counts {@code prompt_eval_count} and
 * {@code eval_count}; a reply without that last line broke off and is a failure.
 */
public final class OllamaProvider implements InferenceProvider {
    public static final String NAME = "ollama";

    private final ProviderEndpoint endpoint;

    OllamaProvider(ProviderEndpoint endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Completion complete(InferenceRequest request) {
        return endpoint.post("/api/chat", request.model(), body(request, false), call -> {
            JsonNode reply = call.jsonRemainder();
            call.checkReply(reply);
            JsonNode content = reply.path("message").path("content");
            if (!content.isTextual()) {
                throw call.failed("the reply has no message.content");
            }
            return Completion.complete(content.textValue(), usage(reply, request, content.textValue()));
        });
    }

    @Override
    public Completion stream(InferenceRequest request, StreamSink sink) {
        Objects.requireNonNull(sink, "sink");
        return endpoint.post("/api/chat", request.model(), body(request, true), call -> {
            StringBuilder text = new StringBuilder();
            call.relayTo(sink); // what arrived together goes on in one write
            for (String line = call.nextLine(); line != null; line = call.nextLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode chunk = call.json(line);
                call.checkReply(chunk);
                JsonNode content = chunk.path("message").path("content");
                if (content.isTextual() && !content.textValue().isEmpty()) {
                    text.append(content.textValue());
                    if (!sink.onBufferedDelta(content.textValue())) {
                        return Completion.cancelled(text.toString(), Usage.estimate(request.messages(), text.toString()));
                    }
                }
                if (chunk.path("done").asBoolean(false)) {
                    call.finishBody();
                    return Completion.complete(text.toString(), usage(chunk, request, text.toString()));
                }
            }
            throw call.failed("the stream ended before its last line (done: true)");
        });
    }

    private static ProviderEndpoint.RequestBody body(InferenceRequest request, boolean stream) {
        return json -> {
            json.writeStringField("model", request.model());
            ProviderEndpoint.writeMessages(json, request.messages());
            json.writeBooleanField("stream", stream);
            InferenceOptions options = request.options();
            if (options.temperature().isPresent() || options.maxTokens().isPresent()
                    || options.contextWindow().isPresent()) {
                json.writeObjectFieldStart("options");
                if (options.temperature().isPresent()) {
                    json.writeNumberField("temperature", options.temperature().getAsDouble());
                }
                if (options.maxTokens().isPresent()) {
                    json.writeNumberField("num_predict", options.maxTokens().getAsInt());
                }
                // Ollama loads the model with this window; without it, its own default (often smaller) would cut
                // the history ORBIT budgeted for.
                if (options.contextWindow().isPresent()) {
                    json.writeNumberField("num_ctx", options.contextWindow().getAsInt());
                }
                json.writeEndObject();
            }
        };
    }

    private static Usage usage(JsonNode reply, InferenceRequest request, String text) {
        return Usage.of(count(reply.path("prompt_eval_count")), count(reply.path("eval_count")), request.messages(), text);
    }

    private static Long count(JsonNode node) {
        return node.canConvertToLong() && node.isIntegralNumber() && node.longValue() >= 0 ? node.longValue() : null;
    }
}
