package dev.orbit.admin;

/**
 * Thrown when a database administration command cannot do what it was asked (bad URL, non-empty target,
 * counts that do not match); the message is one line for the operator and never holds a password.
 */
public final class AdminException extends RuntimeException {
    public AdminException(String message) {
        super(oneLine(message));
    }

    public AdminException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    private static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
