package dev.orbit.inference;

/**
 * Thrown when a provider cannot be reached, answers with an error status, or sends a reply that is malformed
 * or breaks off before its end (a gateway answers 502).
 */
public final class InferenceFailedException extends InferenceException {
    public InferenceFailedException(String message) {
        super(message, null);
    }

    public InferenceFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
