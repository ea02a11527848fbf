package dev.orbit.cli;

/** Thrown when the server answers with an error status; the message is what the user should read. */
final class ApiException extends CliException {
    private final int status;
    private final String detail;

    ApiException(int status, String detail, String message) {
        super(message);
        this.status = status;
        this.detail = detail;
    }

    /** The HTTP status. */
    int status() {
        return status;
    }

    /** The server's {@code detail}, as text. */
    String detail() {
        return detail;
    }
}
