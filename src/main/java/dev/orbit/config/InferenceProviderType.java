package dev.orbit.config;

import java.util.Locale;

/** The inference providers an adapter can name in {@code inference_provider}. */
public enum InferenceProviderType {
    /** Ollama's native chat API ({@code /api/chat}). */
    OLLAMA,
    /** Any OpenAI-compatible server ({@code /chat/completions}): OpenAI, vLLM, llama.cpp server, ... */
    OPENAI,
    /** A deterministic in-process echo, for tests and offline demos. */
    MOCK;

    /** The name written in the configuration, e.g. {@code ollama}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
