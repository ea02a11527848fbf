package dev.orbit.inference;

/**
 * Root of the failures of a provider call; the message names the provider, its URL and the model, never a key.
 */
public abstract sealed class InferenceException extends RuntimeException
        permits InferenceFailedException, InferenceTimeoutException {
    protected InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
