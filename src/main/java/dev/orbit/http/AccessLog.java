package dev.orbit.http;

import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the logger {@code dev.orbit.http.access}: method, path, status, duration and request
 * id. Never a secret: the query string is left out (it may carry a key, e.g. {@code ?new_api_key=}), API keys
 * in paths ({@code /admin/api-keys/{raw key}}, as the reference CLI sends them) are masked ({@link LogPaths}),
 * and headers are not logged at all.
 */
final class AccessLog {
    private static final Logger LOG = LoggerFactory.getLogger("dev.orbit.http.access");

    private AccessLog() {
    }

    static void log(Context ctx, Float millis) {
        try {
            if (LOG.isInfoEnabled()) {
                LOG.info("{} {} {} {}ms {}", ctx.method().name(), LogPaths.of(ctx), ctx.statusCode(),
                        tenths(millis), RequestIds.of(ctx));
            }
        } finally {
            RequestIds.release();
        }
    }

    /** The duration with one decimal ("12.3"), as {@code String.format("%.1f")} gives it but at a fraction of its cost. */
    static String tenths(Float millis) {
        if (millis == null) {
            return "-";
        }
        if (!Float.isFinite(millis) || millis < 0 || millis >= 1e15) {
            return String.format("%.1f", millis);
        }
        long tenths = Math.round(millis * 10.0);
        return (tenths / 10) + "." + (tenths % 10);
    }
}
