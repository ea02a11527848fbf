package dev.orbit.cli;

/**
 * Thrown when a command cannot do what was asked for a reason the user can act on (server unreachable, not
 * logged in, unknown key, unreadable file); {@code orbit} prints {@code orbit: <message>} and exits 1.
 */
class CliException extends RuntimeException {
    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
