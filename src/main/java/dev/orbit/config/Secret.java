package dev.orbit.config;

import java.util.Objects;

/** A configured secret (a password): its {@code toString} never shows the value, so it cannot leak into logs. */
public record Secret(String value) {
    public Secret {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return "<redacted>";
    }
}
