package dev.orbit.config;

import java.util.Objects;

/**
 * The {@code general} section: where the gateway listens and how clients name their chat session.
 *
 * @param host the address to bind ({@code 0.0.0.0}: every interface)
 * @param port the TCP port; 0 picks a free one
 */
public record GeneralConfig(String host, int port, SessionId sessionId) {
    public static final int MIN_PORT = 0;
    public static final int MAX_PORT = 65_535;

    public GeneralConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(sessionId, "sessionId");
        if (port < MIN_PORT || port > MAX_PORT) {
            throw new IllegalArgumentException("port must be between " + MIN_PORT + " and " + MAX_PORT + ", got " + port);
        }
    }

    /** Reads and checks the section. */
    public static GeneralConfig read(ConfigNode general) {
        ConfigNode sessionId = general.section("session_id");
        return new GeneralConfig(
                general.string("host", "0.0.0.0"),
                general.integer("port", 3000, MIN_PORT, MAX_PORT),
                new SessionId(sessionId.headerName("header_name", SessionId.DEFAULT.headerName()),
                        sessionId.bool("required", SessionId.DEFAULT.required())));
    }

    public GeneralConfig withHost(String value) {
        return new GeneralConfig(value, port, sessionId);
    }

    public GeneralConfig withPort(int value) {
        return new GeneralConfig(host, value, sessionId);
    }

    /**
     * The {@code general.session_id} section.
     *
     * @param headerName the request header that names the chat session
     * @param required   whether chat requests without it are refused
     */
    public record SessionId(String headerName, boolean required) {
        public static final SessionId DEFAULT = new SessionId("X-Session-ID", true);
    }
}
