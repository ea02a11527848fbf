package dev.orbit.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.EndpointNotFound;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns exceptions into error responses, all shaped {@code {"detail": "..."}}; handlers
 * throw and never write error bodies themselves. Anything unmapped is logged and answered with a generic 500.
 */
final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {
    }

    static void register(RoutesConfig routes) {
        // Javalin answers its own HttpResponseExceptions unless a handler names that type, so name both.
        routes.exception(HttpResponseException.class, ErrorMapper::handle);
        routes.exception(Exception.class, ErrorMapper::handle);
    }

    static void handle(Exception exception, Context ctx) {
        switch (exception) {
            // Javalin says "Endpoint GET /x not found"; clients of the reference expect FastAPI's wording.
            case EndpointNotFound e -> respond(ctx, 404, "Not Found");
            case HttpResponseException e -> respond(ctx, e.getStatus(), e.getMessage());
            default -> {
                LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), exception);
                respond(ctx, 500, "Internal Server Error");
            }
        }
    }

    private static void respond(Context ctx, int status, String detail) {
        ctx.status(status).json(Map.of("detail", detail));
    }
}
