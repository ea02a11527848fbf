package dev.orbit.http;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * OpenAI's error object, {@code {"message", "type", "code"}}, which the OpenAI SDKs read (they show "400 status
 * code (no body)" for a body without it). Errors of the OpenAI-compatible routes carry it under {@code error}
 * beside ORBIT's {@code detail}, in JSON replies and in streamed error events.
 */
final class OpenAiErrors {
    private OpenAiErrors() {
    }

    /** Whether the request is on an OpenAI-compatible route. */
    static boolean applies(Context ctx) {
        String path = ctx.path();
        return path.equals("/v1/chat/completions") || path.equals("/v1/models") || path.startsWith("/v1/models/");
    }

    /** The error object for this status and human-readable message. */
    static Map<String, Object> error(int status, String message) {
        return Json.object("message", message, "type", type(status), "code", status);
    }

    /** {@code {"detail": message, "error": {...}}}: the body of a streamed error event. */
    static Map<String, Object> event(int status, String message) {
        return Json.object("detail", message, "error", error(status, message));
    }

    /** A {@code detail} as one line of text: a 422 list becomes "body.messages: Field required; ...". */
    static String message(Object detail) {
        if (detail instanceof List<?> problems) {
            return problems.stream().map(OpenAiErrors::problem).collect(Collectors.joining("; "));
        }
        return String.valueOf(detail);
    }

    private static String problem(Object problem) {
        if (problem instanceof Map<?, ?> map) {
            Object loc = map.get("loc");
            String where = loc instanceof List<?> parts ? parts.stream().map(String::valueOf)
                    .collect(Collectors.joining(".")) : String.valueOf(loc);
            return where + ": " + map.get("msg");
        }
        return String.valueOf(problem);
    }

    private static String type(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }
}
