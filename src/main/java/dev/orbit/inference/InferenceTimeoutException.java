package dev.orbit.inference;

/** Thrown when a provider did not connect or finish its reply within the configured time (a gateway answers 504). */
public final class InferenceTimeoutException extends InferenceException {
    public InferenceTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
