package dev.orbit;

/** Thrown when the gateway cannot start (database unreachable, port taken); the message is one line for the operator. */
public final class StartupException extends RuntimeException {
    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
