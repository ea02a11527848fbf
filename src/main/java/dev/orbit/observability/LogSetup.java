package dev.orbit.observability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import dev.orbit.PrivateFiles;
import dev.orbit.config.LoggingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Sets up the gateway's logging from {@code logging}: the level of ORBIT's loggers, text or JSON lines, and the
 * rolling file ({@code orbit.log}, then {@code orbit.log.1} ... {@code orbit.log.N}, each at most
 * {@code max_size_mb}). Every line written while a request is served names its request id (the MDC's
 * {@code request_id}, which the HTTP layer sets). The CLI's other commands keep {@code logback.xml} as it is.
 */
public final class LogSetup implements AutoCloseable {
    /**
     * Text lines: time, level, logger (its name after the last dot), the request id in brackets when there is one,
     * message ({@link TextLineConverters}).
     */
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %orbitLogger%orbitRequestId - %msg%n";
    static final String FILE_APPENDER = "ORBIT_FILE";
    static final long SIZE_CHECK_MILLIS = 100;

    private final Logger root;
    private final List<Appender<ILoggingEvent>> detached;
    private final List<Encoder<ILoggingEvent>> replacedEncoders;
    private final RollingFileAppender<ILoggingEvent> file;
    private final Logger orbit;
    private final Level previousLevel;

    private LogSetup(Logger root, List<Appender<ILoggingEvent>> detached, List<Encoder<ILoggingEvent>> replaced,
                     RollingFileAppender<ILoggingEvent> file, Logger orbit, Level previousLevel) {
        this.root = root;
        this.detached = detached;
        this.replacedEncoders = replaced;
        this.file = file;
        this.orbit = orbit;
        this.previousLevel = previousLevel;
    }

    /**
     * Applies the configuration to the process's logging. {@code fileOnly} ({@code orbit start}: a server without a
     * terminal) writes the file and nothing to the console; otherwise the console keeps writing, in the configured
     * format, and the file is written too when {@code handlers.file.enabled} is on. {@link #close} undoes it.
     */
    public static LogSetup apply(LoggingConfig config, boolean fileOnly) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger orbit = context.getLogger("dev.orbit");
        Level previous = orbit.getLevel();
        config.level().ifPresent(level -> orbit.setLevel(Level.toLevel(level.name())));
        List<Appender<ILoggingEvent>> detached = new ArrayList<>();
        List<Encoder<ILoggingEvent>> replaced = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> appender = it.next();
            if (appender instanceof ConsoleAppender<ILoggingEvent> console) {
                if (fileOnly) {
                    detached.add(console);
                } else {
                    replaced.add(console.getEncoder());
                    reEncode(console, encoder(context, config.format()));
                }
            }
        }
        RollingFileAppender<ILoggingEvent> file = fileOnly || config.fileEnabled() ? rollingFile(context, config) : null;
        if (file != null) {
            root.addAppender(file);
        }
        detached.forEach(root::detachAppender); // after the file is in place, so no line is lost in between
        return new LogSetup(root, detached, replaced, file, orbit, previous);
    }

    /** The file being written, if any. */
    public java.util.Optional<Path> file() {
        return java.util.Optional.ofNullable(file).map(f -> Path.of(f.getFile()));
    }

    private static RollingFileAppender<ILoggingEvent> rollingFile(LoggerContext context, LoggingConfig config) {
        try {
            PrivateFiles.createIfMissing(config.file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the log file " + config.file() + ": " + e.getMessage(), e);
        }
        RollingFileAppender<ILoggingEvent> appender = new PrivateRollingFileAppender();
        appender.setContext(context);
        appender.setName(FILE_APPENDER);
        appender.setFile(config.file().toString());
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(config.file() + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(config.maxFiles());
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(new FileSize(config.maxFileBytes()));
        // Logback looks at the file's size at most this often (its default, once a minute, lets a busy gateway write
        // far past max_size_mb); one stat call per interval costs nothing.
        trigger.setCheckIncrement(ch.qos.logback.core.util.Duration.buildByMilliseconds(SIZE_CHECK_MILLIS));
        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        appender.setEncoder(encoder(context, config.format()));
        rolling.start();
        trigger.start();
        appender.start();
        if (!appender.isStarted()) {
            throw new UncheckedIOException(new IOException("cannot write the log file " + config.file()));
        }
        return appender;
    }

    static Encoder<ILoggingEvent> encoder(LoggerContext context, LoggingConfig.Format format) {
        Encoder<ILoggingEvent> encoder = switch (format) {
            case TEXT -> {
                PatternLayout layout = new PatternLayout();
                layout.getInstanceConverterMap().put("orbitLogger", TextLineConverters.ShortLoggerName::new);
                layout.getInstanceConverterMap().put("orbitRequestId", TextLineConverters.RequestId::new);
                layout.setContext(context);
                layout.setPattern(PATTERN);
                layout.start();
                LayoutWrappingEncoder<ILoggingEvent> text = new LayoutWrappingEncoder<>();
                text.setLayout(layout);
                yield text;
            }
            case JSON -> {
                // One object per line: time, level, thread, logger, the MDC (request_id), the formatted message and
                // any exception; not the raw template and its arguments, which would say the same twice.
                JsonEncoder json = new JsonEncoder();
                json.setWithSequenceNumber(false);
                json.setWithNanoseconds(false);
                json.setWithContext(false);
                json.setWithMessage(false);
                json.setWithArguments(false);
                json.setWithFormattedMessage(true);
                yield json;
            }
        };
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }

    /**
     * The log names users, addresses and request paths: only its owner may read it. Logback creates the new file
     * after a rollover with the process's umask, so the file is narrowed to 600 right after (the directory, 700 when
     * ORBIT created it, keeps it private in between).
     */
    private static final class PrivateRollingFileAppender extends RollingFileAppender<ILoggingEvent> {
        @Override
        public void rollover() {
            super.rollover();
            try {
                Files.setPosixFilePermissions(Path.of(getFile()), PosixFilePermissions.fromString("rw-------"));
            } catch (IOException | UnsupportedOperationException e) {
                addWarn("cannot narrow " + getFile() + " to mode 600", e);
            }
        }
    }

    private static void reEncode(OutputStreamAppender<ILoggingEvent> appender, Encoder<ILoggingEvent> encoder) {
        appender.stop();
        appender.setEncoder(encoder);
        appender.start();
    }

    /** Puts the console back as it was and stops writing the file (tests; a stopping process needs nothing). */
    @Override
    public void close() {
        detached.forEach(root::addAppender);
        if (file != null) {
            root.detachAppender(file);
            file.stop();
        }
        int i = 0;
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof ConsoleAppender<ILoggingEvent> console && i < replacedEncoders.size()) {
                reEncode(console, replacedEncoders.get(i++));
            }
        }
        orbit.setLevel(previousLevel);
    }
}
