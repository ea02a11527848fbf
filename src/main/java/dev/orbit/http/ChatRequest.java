package dev.orbit.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.orbit.inference.InferenceOptions;
import dev.orbit.service.ServiceException;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What a chat body ({@code /v1/chat} or {@code /v1/chat/completions}) asks for: the new user message (the
 * last {@code user} entry of {@code messages}; the conversation before it comes from the stored history),
 * whether to stream and the sampling options. Other fields (OpenAI's {@code model}, {@code user}, ...) are
 * accepted and ignored: the API key decides the model.
 */
record ChatRequest(String userMessage, boolean stream, InferenceOptions options) {
    static final String NO_USER_MESSAGE = "No user message found in request";

    static ChatRequest parse(JsonBody body) {
        JsonNode messages = body.tree().get("messages");
        if (messages == null || messages.isNull()) {
            throw RequestValidationException.missing(List.of("body", "messages"));
        }
        if (!(messages instanceof ArrayNode list)) {
            throw JsonBody.wrongType(List.of("body", "messages"), "list");
        }
        String userMessage = null;
        for (int i = 0; i < list.size(); i++) {
            JsonNode message = list.get(i);
            if (!message.isObject()) {
                throw JsonBody.wrongType(List.of("body", "messages", i), "object");
            }
            String role = text(message, "role", i);
            String content = content(message, i);
            if ("user".equals(role)) {
                userMessage = content;
            }
        }
        if (userMessage == null) {
            throw new ServiceException.InvalidInput(NO_USER_MESSAGE);
        }
        Boolean stream = body.optionalBoolean("stream");
        return new ChatRequest(userMessage, stream != null && stream, options(body));
    }

    private static InferenceOptions options(JsonBody body) {
        Double temperature = body.optionalNumber("temperature");
        if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
            throw new RequestValidationException(List.of("body", "temperature"),
                    "Input should be between 0 and 2", "value_error");
        }
        Integer maxTokens = body.optionalInteger("max_tokens");
        if (maxTokens != null && maxTokens < 1) {
            throw new RequestValidationException(List.of("body", "max_tokens"),
                    "Input should be greater than or equal to 1", "greater_than_equal");
        }
        return new InferenceOptions(temperature == null ? OptionalDouble.empty() : OptionalDouble.of(temperature),
                maxTokens == null ? OptionalInt.empty() : OptionalInt.of(maxTokens));
    }

    private static String text(JsonNode message, String field, int index) {
        JsonNode value = message.get(field);
        if (value == null || value.isNull()) {
            throw RequestValidationException.missing(List.of("body", "messages", index, field));
        }
        if (!value.isTextual()) {
            throw JsonBody.wrongType(List.of("body", "messages", index, field), "string");
        }
        return value.textValue();
    }

    /** A string, or (OpenAI's form) a list of parts whose {@code text} parts are joined. */
    private static String content(JsonNode message, int index) {
        JsonNode value = message.get("content");
        if (value != null && value.isArray()) {
            StringBuilder text = new StringBuilder();
            for (int p = 0; p < value.size(); p++) {
                JsonNode part = value.get(p);
                JsonNode partText = part.get("text");
                if (!part.isObject() || partText == null || !partText.isTextual()) {
                    throw new RequestValidationException(List.of("body", "messages", index, "content", p),
                            "Only text parts are supported", "value_error");
                }
                text.append(partText.textValue());
            }
            return text.toString();
        }
        return text(message, "content", index);
    }
}
