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
                        String.format("%.1f", millis), RequestIds.of(ctx));
            }
        } finally {
            RequestIds.release();
        }
    }
}
