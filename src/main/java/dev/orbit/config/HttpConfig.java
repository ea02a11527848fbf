package dev.orbit.config;

/**
 * The {@code http} section: limits of the HTTP server.
 *
 * @param maxBodyBytes the largest request body accepted; larger ones are refused with 413
 */
public record HttpConfig(long maxBodyBytes) {
    public static final HttpConfig DEFAULT = new HttpConfig(1024 * 1024);

    /** Reads and checks the section. */
    public static HttpConfig read(ConfigNode http) {
        return new HttpConfig(http.longInteger("max_body_bytes", DEFAULT.maxBodyBytes(), 1024, Integer.MAX_VALUE));
    }
}
