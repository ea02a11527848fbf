package dev.orbit.http;

import java.io.IOException;

/**
 * The request body could not be read: the client sent a broken chunked encoding, or less than it announced and
 * then stopped. The client's mistake (a 400), not ours, so it carries no stack trace of its own.
 */
final class UnreadableBodyException extends RuntimeException {
    static final String DETAIL = "Could not read the request body";

    UnreadableBodyException(IOException cause) {
        super(DETAIL, cause, false, false);
    }

    /** What went wrong on the wire, in one line for the log (Jetty's message, e.g. "Early EOF"). */
    String reason() {
        Throwable cause = getCause();
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }
}
