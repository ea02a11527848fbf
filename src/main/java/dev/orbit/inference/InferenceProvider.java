package dev.orbit.inference;

/**
 * A client of one LLM provider. Implementations are thread-safe and shared by every request.
 */
public interface InferenceProvider {
    /** The provider's configuration name ({@code ollama}, {@code openai}, {@code mock}), for metadata and logs. */
    String name();

    /**
     * Asks for a reply and waits for all of it.
     *
     * @throws InferenceTimeoutException if no complete reply came within the configured time
     * @throws InferenceFailedException  if the provider could not be reached or gave an error or unusable reply
     */
    Completion complete(InferenceRequest request);

    /**
     * Asks for a reply and hands it to {@code sink} piece by piece as it arrives, then returns the whole text
     * and usage (cancelled if the sink stopped it). After an exception the pieces already delivered are not a
     * reply: nothing of it should be stored.
     *
     * @throws InferenceTimeoutException if the reply did not finish within the configured time
     * @throws InferenceFailedException  if the provider could not be reached, gave an error, or the stream broke
     *                                   off before its end
     */
    Completion stream(InferenceRequest request, StreamSink sink);
}
