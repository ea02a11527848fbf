package dev.orbit.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import dev.orbit.config.LoggingConfig;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text lines are exactly those of logback's own converters for the same pattern, line by line. */
class TextLineConvertersTest {
    // The pattern the converters replace: %logger{0} and a regular expression that drops an empty " []".
    private static final String LOGBACK_PATTERN =
            "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0}%replace( [%X{request_id}]){' \\[\\]', ''} - %msg%n";

    private final LoggerContext context = new LoggerContext();

    @Test
    void textLinesAreThoseOfLogbacksOwnConvertersWithAndWithoutARequestId() {
        Encoder<ILoggingEvent> ours = LogSetup.encoder(context, LoggingConfig.Format.TEXT);
        PatternLayoutEncoder logback = new PatternLayoutEncoder();
        logback.setContext(context);
        logback.setPattern(LOGBACK_PATTERN);
        logback.start();

        for (String logger : new String[] {"dev.orbit.http.access", "NoDots", "dev.orbit.http.ChatRoutes"}) {
            for (Map<String, String> mdc : new Map[] {Map.of(), Map.of("request_id", "chat-req-7"),
                    Map.of("request_id", ""), Map.of("other", "x")}) {
                ILoggingEvent event = event(logger, mdc, "POST /v1/chat 200 1.5ms {}", "abc");
                assertThat(text(ours, event)).isEqualTo(text(logback, event));
            }
        }
        assertThat(text(ours, event("dev.orbit.http.access", Map.of("request_id", "r1"), "GET /health 200", null)))
                .endsWith(" INFO  access [r1] - GET /health 200" + System.lineSeparator());
        assertThat(text(ours, event("dev.orbit.Main", Map.of(), "started", null)))
                .endsWith(" INFO  Main - started" + System.lineSeparator());
    }

    private LoggingEvent event(String logger, Map<String, String> mdc, String message, Object argument) {
        LoggingEvent event = new LoggingEvent();
        event.setLoggerContext(context);
        event.setLoggerName(logger);
        event.setLevel(Level.INFO);
        event.setMessage(message);
        event.setArgumentArray(argument == null ? null : new Object[] {argument});
        event.setTimeStamp(1_795_685_172_038L);
        event.setMDCPropertyMap(mdc);
        return event;
    }

    private static String text(Encoder<ILoggingEvent> encoder, ILoggingEvent event) {
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }
}
