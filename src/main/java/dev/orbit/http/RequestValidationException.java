package dev.orbit.http;

import java.util.List;
import java.util.Objects;

/**
 * Thrown when a request's body, query or path does not have the declared shape; answered with 422 and a
 * FastAPI-style list: {@code {"detail": [{"loc": ["body", "username"], "msg": "Field required", "type": "missing"}]}}.
 */
final class RequestValidationException extends RuntimeException {
    /** One problem: where ({@code loc}, e.g. {@code ["query", "limit"]}), what, and its machine-readable type. */
    record Problem(List<Object> loc, String msg, String type) {
        Problem {
            loc = List.copyOf(loc);
            Objects.requireNonNull(msg, "msg");
            Objects.requireNonNull(type, "type");
        }
    }

    private final List<Problem> problems;

    RequestValidationException(List<Object> loc, String msg, String type) {
        super(msg, null, false, false);
        this.problems = List.of(new Problem(loc, msg, type));
    }

    List<Problem> problems() {
        return problems;
    }

    static RequestValidationException missing(List<Object> loc) {
        return new RequestValidationException(loc, "Field required", "missing");
    }
}
