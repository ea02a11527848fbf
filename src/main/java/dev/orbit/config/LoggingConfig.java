package dev.orbit.config;

import dev.orbit.db.Names;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code logging} section, with the reference's key names where they mean the same: the level of ORBIT's own
 * loggers, the line format, and the rolling log file ({@code handlers.file}). {@code orbit start} always writes the
 * file (its server has no terminal); {@code orbit serve} writes to standard error, and to the file as well when
 * {@code handlers.file.enabled} is true.
 *
 * @param level          the level of the {@code dev.orbit} loggers, when set (else logback.xml's, INFO)
 * @param format         one line of text per event, or one JSON object per line
 * @param fileEnabled    whether {@code serve} writes the file too
 * @param file           the file written (the rolled ones are {@code file.1}, {@code file.2}, ...)
 * @param maxFileBytes   size at which the file rolls over
 * @param maxFiles       rolled files kept besides the current one
 */
public record LoggingConfig(java.util.Optional<Level> level, Format format, boolean fileEnabled, Path file, long maxFileBytes,
                            int maxFiles) {
    /** The levels of ORBIT's loggers. */
    public enum Level { TRACE, DEBUG, INFO, WARN, ERROR }

    /** How each event is written. */
    public enum Format { TEXT, JSON }

    // The reference's Python level names (WARNING, CRITICAL) are accepted too, so its configuration starts.
    private static java.util.Optional<Level> level(ConfigNode logging) {
        return logging.string("level").filter(given -> !given.isBlank()).map(given -> parseLevel(logging, given));
    }

    private static Level parseLevel(ConfigNode logging, String given) {
        String text = given.strip().toUpperCase(Locale.ROOT);
        return switch (text) {
            case "WARNING" -> Level.WARN;
            case "CRITICAL", "FATAL" -> Level.ERROR;
            default -> {
                try {
                    yield Level.valueOf(text);
                } catch (IllegalArgumentException e) {
                    throw logging.error("level", "expected one of trace, debug, info, warn, error, got "
                            + Names.quote(text));
                }
            }
        };
    }

    /** Reads and checks {@code logging} of the root; a relative directory is resolved against {@code home}. */
    public static LoggingConfig read(ConfigNode root, Path home) {
        ConfigNode logging = root.section("logging");
        ConfigNode file = logging.section("handlers").section("file");
        String directory = file.string("directory", "logs");
        String name = file.string("filename", "orbit.log");
        if (name.isBlank() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw file.error("filename", "expected a file name without directory, got " + Names.quote(name));
        }
        return new LoggingConfig(
                level(logging),
                logging.choice("format", Format.class, Format.TEXT),
                file.bool("enabled", false),
                home.resolve(directory).resolve(name).toAbsolutePath().normalize(),
                file.integer("max_size_mb", 10, 1, 10_240) * 1024L * 1024L,
                file.integer("backup_count", 10, 1, 20)); // Logback rolls at most 20 files
    }
}
