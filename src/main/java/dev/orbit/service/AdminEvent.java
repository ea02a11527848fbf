package dev.orbit.service;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One state-changing admin or auth request, allowed or refused, as the HTTP layer saw it. Holds no secret:
 * {@code path} has keys masked and {@code requestSummary} only allow-listed body fields.
 */
public record AdminEvent(Instant timestamp, String eventType, String action, String resourceType, String resourceId,
                         String actorType, String actorId, String actorUsername, String method, String path,
                         int statusCode, String ip, String userAgent, String errorMessage,
                         Map<String, Object> requestSummary, String requestId) {
    public AdminEvent {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(actorType, "actorType");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        requestSummary = requestSummary == null ? Map.of() : requestSummary;
    }

    public boolean success() {
        return statusCode < 400;
    }
}
