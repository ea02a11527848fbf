package dev.orbit.http;

import io.javalin.http.Context;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Gives every request an id: the client's {@code X-Request-ID} when it is a plausible id, else a new one. It
 * is echoed in the response header, named in the access log and in error logs, and put in the logging MDC
 * ({@code request_id}) while the request runs.
 */
final class RequestIds {
    static final String HEADER = "X-Request-ID";
    static final String MDC_KEY = "request_id";
    private static final String ATTRIBUTE = "orbit.request-id";
    // Short and free of anything that could forge a log line or carry a payload.
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final HexFormat HEX = HexFormat.of();

    private RequestIds() {
    }

    static void assign(Context ctx) {
        String id = idFor(ctx.header(HEADER));
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
        MDC.put(MDC_KEY, id);
    }

    /** The client's id ({@code X-Request-ID}, may be null) when it is plausible, else a new one. */
    static String idFor(String given) {
        return given != null && ACCEPTED.matcher(given).matches() ? given : newId();
    }

    /** The request's id ("-" if the request never got one, e.g. it failed before the first handler). */
    static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id == null ? "-" : id;
    }

    static void release() {
        MDC.remove(MDC_KEY);
    }

    // 128 random bits as 32 lower-case hex digits: unique enough to find one request in the logs, and cheap
    // (String.format would parse its format string on every request).
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong());
    }
}
