package dev.orbit.config;

/**
 * Thrown when the configuration cannot be read or holds a wrong value; the message is one line naming
 * the file, the key and the problem, e.g. {@code config.yaml: general.port: expected an integer between 0
 * and 65535, got 'abc'}.
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(oneLine(message));
    }

    public ConfigException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** A problem with one key of one file. */
    static ConfigException at(String source, String keyPath, String problem) {
        return new ConfigException(source + ": " + keyPath + ": " + problem);
    }

    // Operators read this on a terminal or in a log line; a parser's multi-line message must not break it.
    private static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
