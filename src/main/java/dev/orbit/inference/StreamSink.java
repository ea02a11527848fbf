package dev.orbit.inference;

/**
 * Receives a streamed reply piece by piece, on the thread that called
 * {@link InferenceProvider#stream(InferenceRequest, StreamSink)}.
 */
@FunctionalInterface
public interface StreamSink {
    /**
     * The next piece of the reply, in order; never empty. Returns false to stop the stream (e.g. the client
     * went away): the provider stops reading, closes the connection and returns a cancelled {@link Completion}.
     * An exception thrown here also stops the stream and propagates unchanged.
     */
    boolean onDelta(String delta);
}
