package dev.orbit.config;

import dev.orbit.db.Names;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@code http} section: limits of the HTTP server and which browser origins may call it.
 *
 * @param maxBodyBytes       the largest request body accepted; larger ones are refused with 413
 * @param corsAllowedOrigins origins ({@code https://app.example.com}) whose browser scripts may call the API,
 *                           or {@code *} for any; empty (the default) sends no CORS headers at all
 */
public record HttpConfig(long maxBodyBytes, List<String> corsAllowedOrigins) {
    public static final HttpConfig DEFAULT = new HttpConfig(1024 * 1024);
    /** What a browser sends in {@code Origin}: scheme, host and an optional port, nothing else. */
    private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.\\-\\[\\]:]+");

    public HttpConfig {
        corsAllowedOrigins = List.copyOf(Objects.requireNonNull(corsAllowedOrigins, "corsAllowedOrigins"));
    }

    /** These limits, without CORS. */
    public HttpConfig(long maxBodyBytes) {
        this(maxBodyBytes, List.of());
    }

    /** Reads and checks the section. */
    public static HttpConfig read(ConfigNode http) {
        ConfigNode cors = http.section("cors");
        List<String> origins = cors.stringList("allowed_origins");
        for (String origin : origins) {
            if (!origin.equals("*") && !ORIGIN.matcher(origin).matches()) {
                throw cors.error("allowed_origins", "expected origins like https://app.example.com (scheme and"
                        + " host, no path) or *, got " + Names.quote(origin));
            }
        }
        return new HttpConfig(http.longInteger("max_body_bytes", DEFAULT.maxBodyBytes(), 1024, Integer.MAX_VALUE),
                origins);
    }
}
