package dev.orbit.inference;

import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Sampling options of one call; an empty value leaves the provider's own default.
 *
 * @param temperature 0 to 2
 * @param maxTokens     at least 1: the longest reply, in tokens
 * @param contextWindow at least 1: the context window the model should run with (Ollama's {@code num_ctx});
 *                      an adapter setting, never a client's
 */
public record InferenceOptions(OptionalDouble temperature, OptionalInt maxTokens, OptionalInt contextWindow) {
    public static final InferenceOptions NONE = new InferenceOptions(OptionalDouble.empty(), OptionalInt.empty());

    public InferenceOptions(OptionalDouble temperature, OptionalInt maxTokens) {
        this(temperature, maxTokens, OptionalInt.empty());
    }

    public InferenceOptions {
        Objects.requireNonNull(temperature, "temperature");
        Objects.requireNonNull(maxTokens, "maxTokens");
        Objects.requireNonNull(contextWindow, "contextWindow");
        if (contextWindow.isPresent() && contextWindow.getAsInt() < 1) {
            throw new IllegalArgumentException("contextWindow must be at least 1, got " + contextWindow.getAsInt());
        }
        if (temperature.isPresent() && !(temperature.getAsDouble() >= 0 && temperature.getAsDouble() <= 2)) {
            throw new IllegalArgumentException("temperature must be between 0 and 2, got " + temperature.getAsDouble());
        }
        if (maxTokens.isPresent() && maxTokens.getAsInt() < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1, got " + maxTokens.getAsInt());
        }
    }

    public static InferenceOptions of(double temperature, int maxTokens) {
        return new InferenceOptions(OptionalDouble.of(temperature), OptionalInt.of(maxTokens));
    }

    /** These options, each empty one filled from {@code defaults} (a request's options over an adapter's). */
    public InferenceOptions orElse(InferenceOptions defaults) {
        return new InferenceOptions(
                temperature.isPresent() ? temperature : defaults.temperature(),
                maxTokens.isPresent() ? maxTokens : defaults.maxTokens(),
                contextWindow.isPresent() ? contextWindow : defaults.contextWindow());
    }
}
