package dev.orbit.inference;

import java.util.List;
import java.util.Objects;

/**
 * One call to a provider: the model, the whole conversation in order (system prompt, history, new user
 * message) and the sampling options.
 */
public record InferenceRequest(String model, List<ChatMessage> messages, InferenceOptions options) {
    public InferenceRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        messages = List.copyOf(messages);
        if (model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("messages must not be empty");
        }
    }
}
