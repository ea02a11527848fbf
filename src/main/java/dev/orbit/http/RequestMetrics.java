package dev.orbit.http;

import dev.orbit.observability.HttpMetrics;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;

/**
 * Feeds {@link HttpMetrics} from the server's hooks: {@link #begin} before the first handler, {@link #end} from the
 * request logger, which runs for every request however it ended (Javalin's own measured time, so it covers a
 * streamed reply to its last byte). A request counts by the template of the route that served it.
 */
final class RequestMetrics {
    private static final String STARTED = "orbit.metrics-started";

    private final HttpMetrics metrics;

    RequestMetrics(HttpMetrics metrics) {
        this.metrics = metrics;
    }

    void begin(Context ctx) {
        ctx.attribute(STARTED, Boolean.TRUE);
        metrics.started();
    }

    void end(Context ctx, Float millis) {
        if (ctx.attribute(STARTED) == null) {
            return; // refused before the handlers ran (nothing was counted in progress)
        }
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        metrics.finished(ctx.method().name(), endpoint == null ? HttpMetrics.UNMATCHED : endpoint.path,
                ctx.statusCode(), (long) (millis * 1_000_000.0));
    }
}
