package dev.orbit.observability;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.Map;

/**
 * The two parts of {@link LogSetup#PATTERN} that logback's own converters make costly on a busy gateway, which
 * writes an access-log line per request: the short logger name ({@code %logger{0}} takes a lock per line for its
 * name cache, and request threads queue on it) and the request id ({@code %replace( [%X{request_id}]){' \[\]', ''}}
 * runs a regular expression per line). These write the same text without either.
 */
final class TextLineConverters {
    /** The MDC key the HTTP layer puts the request id under. */
    static final String REQUEST_ID = "request_id";

    private TextLineConverters() {
    }

    /** The logger's name after its last dot ({@code dev.orbit.http.access} is {@code access}), as {@code %logger{0}}. */
    static final class ShortLoggerName extends ClassicConverter {
        @Override
        public String convert(ILoggingEvent event) {
            String name = event.getLoggerName();
            return name.substring(name.lastIndexOf('.') + 1);
        }
    }

    /** {@code " [<id>]"} while a request id is set, else nothing. */
    static final class RequestId extends ClassicConverter {
        @Override
        public String convert(ILoggingEvent event) {
            Map<String, String> mdc = event.getMDCPropertyMap();
            String id = mdc == null ? null : mdc.get(REQUEST_ID);
            return id == null || id.isEmpty() ? "" : " [" + id + "]";
        }
    }
}
