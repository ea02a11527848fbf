package dev.orbit.http;

import dev.orbit.db.DatabaseException;
import dev.orbit.db.InvalidQueryException;
import dev.orbit.inference.InferenceFailedException;
import dev.orbit.inference.InferenceTimeoutException;
import dev.orbit.service.ServiceException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.EndpointNotFound;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns exceptions into error responses, all shaped {@code {"detail": ...}}: a text, or
 * for 422 a FastAPI-style list of problems. Handlers throw and never write error bodies themselves. Anything
 * unmapped, and every database failure, is logged with the request id and answered with a generic 500 that
 * reveals nothing.
 */
final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);
    static final String INTERNAL_ERROR = "Internal Server Error";

    private ErrorMapper() {
    }

    static void register(RoutesConfig routes) {
        // Javalin answers its own HttpResponseExceptions unless a handler names that type, so name both.
        routes.exception(HttpResponseException.class, ErrorMapper::handle);
        routes.exception(Exception.class, ErrorMapper::handle);
    }

    static void handle(Exception exception, Context ctx) {
        switch (exception) {
            case ServiceException e -> service(e, ctx);
            // The provider's own message names its URL and model: for the log, not for the client.
            case InferenceFailedException e -> {
                LOG.warn("request {} {} {}: {}", RequestIds.of(ctx), ctx.method(), LogPaths.of(ctx),
                        e.getMessage());
                respond(ctx, 502, ChatRoutes.PROVIDER_FAILED);
            }
            case InferenceTimeoutException e -> {
                LOG.warn("request {} {} {}: {}", RequestIds.of(ctx), ctx.method(), LogPaths.of(ctx),
                        e.getMessage());
                respond(ctx, 504, ChatRoutes.PROVIDER_TIMED_OUT);
            }
            // A broken or truncated body is the client's doing: one line to say so, no stack trace.
            case UnreadableBodyException e -> {
                LOG.warn("request {} {} {}: could not read the request body: {}", RequestIds.of(ctx), ctx.method(),
                        LogPaths.of(ctx), e.reason());
                respond(ctx, 400, UnreadableBodyException.DETAIL);
            }
            case RequestValidationException e -> respond(ctx, 422, e.problems().stream().map(ErrorMapper::problem).toList());
            // Services screen every client-supplied id and field; one getting through is our bug, but the client
            // sent it, so the answer is a 400, and the log says which request to look at.
            case InvalidQueryException e -> {
                LOG.warn("request {} {} {}: refused by the query validator: {}", RequestIds.of(ctx), ctx.method(),
                        LogPaths.of(ctx), e.getMessage());
                respond(ctx, 400, "Invalid request");
            }
            case DatabaseException e -> {
                LOG.error("request {} {} {}: database failure", RequestIds.of(ctx), ctx.method(),
                        LogPaths.of(ctx), e);
                respond(ctx, 500, INTERNAL_ERROR);
            }
            // Javalin says "Endpoint GET /x not found"; clients of the reference expect FastAPI's wording.
            case EndpointNotFound e -> respond(ctx, 404, "Not Found");
            case HttpResponseException e -> respond(ctx, e.getStatus(), e.getStatus() == 405 ? "Method Not Allowed"
                    : e.getMessage());
            default -> {
                LOG.error("request {} {} {}: unhandled error", RequestIds.of(ctx), ctx.method(),
                        LogPaths.of(ctx), exception);
                respond(ctx, 500, INTERNAL_ERROR);
            }
        }
    }

    private static void service(ServiceException exception, Context ctx) {
        switch (exception) {
            case ServiceException.NotFound e -> respond(ctx, 404, e.getMessage());
            case ServiceException.Conflict e -> respond(ctx, 409, e.getMessage());
            case ServiceException.InvalidInput e -> respond(ctx, 400, e.getMessage());
            case ServiceException.Unauthorized e -> respond(ctx, 401, e.getMessage());
            case ServiceException.Forbidden e -> respond(ctx, 403, e.getMessage());
            case ServiceException.Unprocessable e -> {
                // The field may be a query parameter (limit) or a body field (new_api_key may be either).
                String where = ctx.queryParamMap().containsKey(e.field()) ? "query" : "body";
                respond(ctx, 422, List.of(Json.object("loc", List.of(where, e.field()), "msg", e.getMessage(),
                        "type", "value_error")));
            }
            case ServiceException.TooManyRequests e -> {
                ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
                respond(ctx, 429, e.getMessage(), e.fields());
            }
            case ServiceException.Unavailable e -> {
                e.retryAfterSeconds().ifPresent(seconds -> ctx.header("Retry-After", String.valueOf(seconds)));
                respond(ctx, 503, e.getMessage());
            }
        }
    }

    private static Map<String, Object> problem(RequestValidationException.Problem p) {
        return Json.object("loc", p.loc(), "msg", p.msg(), "type", p.type());
    }

    private static void respond(Context ctx, int status, Object detail) {
        respond(ctx, status, detail, Map.of());
    }

    private static void respond(Context ctx, int status, Object detail, Map<String, Object> fields) {
        if (ctx.res().isCommitted()) {
            return; // a streamed reply already started; its route reports errors in the stream
        }
        Map<String, Object> body = Json.object("detail", detail);
        body.putAll(fields);
        if (OpenAiErrors.applies(ctx)) {
            body.put("error", OpenAiErrors.error(status, OpenAiErrors.message(detail)));
        }
        ctx.status(status).json(body);
    }
}
