package dev.orbit.inference;

/**
 * Receives a streamed reply piece by piece, on the thread that called
 * {@link InferenceProvider#stream(InferenceRequest, StreamSink)}.
 */
@FunctionalInterface
public interface StreamSink {
    /**
     * The next piece of the reply, in order; never empty; sent on at once. Returns false to stop the stream (e.g.
     * the client went away): the provider stops reading, closes the connection and returns a cancelled
     * {@link Completion}. An exception thrown here also stops the stream and propagates unchanged.
     */
    boolean onDelta(String delta);

    /**
     * As {@link #onDelta}, but the sink may hold the piece back until {@link #flush()}: for a provider whose reply
     * arrives in bursts, so that the pieces that arrived together reach the client in one write. Such a provider
     * calls {@code flush()} before it waits for more of its reply and when its reply ends, so that no piece it
     * received waits for those still to come. By default the piece is sent on at once.
     */
    default boolean onBufferedDelta(String delta) {
        return onDelta(delta);
    }

    /** Sends on the pieces held back by {@link #onBufferedDelta}; a client gone shows in the next piece's answer. */
    default void flush() {
    }
}
