package dev.orbit.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
            JsonNode reply = call.json(call.remainder());
            checkError(call, reply);
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
            for (String line = call.nextLine(); line != null; line = call.nextLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode chunk = call.json(line);
                checkError(call, chunk);
                JsonNode content = chunk.path("message").path("content");
                if (content.isTextual() && !content.textValue().isEmpty()) {
                    text.append(content.textValue());
                    if (!sink.onDelta(content.textValue())) {
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

    private static ObjectNode body(InferenceRequest request, boolean stream) {
        ObjectNode body = ProviderEndpoint.JSON.createObjectNode();
        body.put("model", request.model());
        var messages = body.putArray("messages");
        request.messages().forEach(m -> messages.addObject().put("role", m.role()).put("content", m.content()));
        body.put("stream", stream);
        InferenceOptions options = request.options();
        if (options.temperature().isPresent() || options.maxTokens().isPresent() || options.contextWindow().isPresent()) {
            ObjectNode sampling = body.putObject("options");
            options.temperature().ifPresent(t -> sampling.put("temperature", t));
            options.maxTokens().ifPresent(n -> sampling.put("num_predict", n));
            // Ollama loads the model with this window; without it, its own default (often smaller) would cut
            // the history ORBIT budgeted for.
            options.contextWindow().ifPresent(n -> sampling.put("num_ctx", n));
        }
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

    private static Usage usage(JsonNode reply, InferenceRequest request, String text) {
        return Usage.of(count(reply.path("prompt_eval_count")), count(reply.path("eval_count")), request.messages(), text);
    }

    private static Long count(JsonNode node) {
        return node.canConvertToLong() && node.isIntegralNumber() && node.longValue() >= 0 ? node.longValue() : null;
    }
}
