package dev.orbit.http;

import io.javalin.http.Context;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the logger {@code dev.orbit.http.access}: method, path, status, duration and request
 * id. Never a secret: the query string is left out (it may carry a key, e.g. {@code ?new_api_key=}), API keys
 * in paths ({@code /admin/api-keys/{raw key}}, as the reference CLI sends them) are masked, and headers are
 * not logged at all.
 */
final class AccessLog {
    private static final Logger LOG = LoggerFactory.getLogger("dev.orbit.http.access");
    private static final Pattern API_KEY_IN_PATH = Pattern.compile("^(/admin/api-keys/)([^/]+)");
    private static final int MAX_PATH = 200;

    private AccessLog() {
    }

    static void log(Context ctx, Float millis) {
        try {
            if (LOG.isInfoEnabled()) {
                LOG.info("{} {} {} {}ms {}", ctx.method().name(), safePath(ctx.path()), ctx.statusCode(),
                        String.format("%.1f", millis), RequestIds.of(ctx));
            }
        } finally {
            RequestIds.release();
        }
    }

    /** The path as it may be logged: an API key in it masked to its last 4 characters, no control characters. */
    static String safePath(String path) {
        var m = API_KEY_IN_PATH.matcher(path);
        String masked = m.find() ? m.group(1) + mask(m.group(2)) + path.substring(m.end()) : path;
        StringBuilder out = new StringBuilder(Math.min(masked.length(), MAX_PATH + 3));
        for (int i = 0; i < masked.length() && out.length() < MAX_PATH; i++) {
            char c = masked.charAt(i);
            out.append(Character.isISOControl(c) || Character.isWhitespace(c) ? '?' : c);
        }
        return masked.length() > MAX_PATH ? out + "..." : out.toString();
    }

    private static String mask(String segment) {
        return segment.length() <= 4 ? "***" : "***" + segment.substring(segment.length() - 4);
    }
}
