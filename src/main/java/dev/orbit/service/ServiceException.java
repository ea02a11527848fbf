package dev.orbit.service;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Thrown by a service when a request cannot be served for a reason the caller should see; the HTTP layer
 * maps each subclass to one status code and shows the message as {@code detail}. Database failures are not
 * service exceptions: they propagate as {@code DatabaseException} unchanged.
 */
public abstract sealed class ServiceException extends RuntimeException {
    private ServiceException(String message) {
        super(message, null, false, false);
    }

    /** Thrown when the thing named does not exist (HTTP 404). */
    public static final class NotFound extends ServiceException {
        public NotFound(String message) {
            super(message);
        }
    }

    /** Thrown when the request clashes with existing data, e.g. a key renamed to one that exists (HTTP 409). */
    public static final class Conflict extends ServiceException {
        public Conflict(String message) {
            super(message);
        }
    }

    /** Thrown when the request is not acceptable as asked, e.g. a bad password or one's own account (HTTP 400). */
    public static final class InvalidInput extends ServiceException {
        public InvalidInput(String message) {
            super(message);
        }
    }

    /** Thrown when a value breaks the declared shape of a request field (HTTP 422). */
    public static final class Unprocessable extends ServiceException {
        private final String field;

        public Unprocessable(String field, String message) {
            super(message);
            this.field = Objects.requireNonNull(field, "field");
        }

        /** The request field at fault, for the {@code loc} of the error body. */
        public String field() {
            return field;
        }
    }

    /** Thrown when no valid credential was given (HTTP 401). */
    public static final class Unauthorized extends ServiceException {
        public Unauthorized(String message) {
            super(message);
        }
    }

    /** Thrown when the credential is valid but does not allow this (HTTP 403). */
    public static final class Forbidden extends ServiceException {
        public Forbidden(String message) {
            super(message);
        }
    }


    /** Thrown when the caller must wait before trying again (HTTP 429 with {@code Retry-After}). */
    public static final class TooManyRequests extends ServiceException {
        private final Duration retryAfter;
        private final Map<String, Object> fields;

        public TooManyRequests(String message, Duration retryAfter) {
            this(message, retryAfter, Map.of());
        }

        /** With {@code fields} added to the error body beside {@code detail} (e.g. which quota, when it resets). */
        public TooManyRequests(String message, Duration retryAfter, Map<String, Object> fields) {
            super(message);
            this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
            this.fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
        }

        /** Fields of the error body beside {@code detail}. */
        public Map<String, Object> fields() {
            return fields;
        }

        public Duration retryAfter() {
            return retryAfter;
        }

        /** Whole seconds for the {@code Retry-After} header, at least 1. */
        public long retryAfterSeconds() {
            return wholeSeconds(retryAfter);
        }
    }

    /**
     * Thrown when a feature the request needs is switched off or not ready (HTTP 503), or the service is not taking
     * such requests for now, e.g. while paused (then with {@code Retry-After}).
     */
    public static final class Unavailable extends ServiceException {
        private final Duration retryAfter;

        /** Switched off: no time to come back is known. */
        public Unavailable(String message) {
            super(message);
            this.retryAfter = null;
        }

        public Unavailable(String message, Duration retryAfter) {
            super(message);
            this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
        }

        /** Whole seconds for the {@code Retry-After} header (at least 1), if a time to come back is known. */
        public java.util.OptionalLong retryAfterSeconds() {
            return retryAfter == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(wholeSeconds(retryAfter));
        }
    }

    private static long wholeSeconds(Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000);
    }
}
