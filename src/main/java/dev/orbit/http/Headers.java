package dev.orbit.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;

/**
 * Reads header values as the client meant them. HTTP carries header values as bytes and Jetty reads each byte
 * as one ISO-8859-1 character, so {@code X-Session-ID: sé😀} sent as UTF-8 arrives as {@code "sÃ©Ã°\u009f..."}:
 * a different session than the same id in a URL path (which is decoded as UTF-8), and with C1 control
 * characters that make the id look malformed. A value whose bytes are valid UTF-8 is decoded as UTF-8; any
 * other value is kept as it arrived.
 */
final class Headers {
    private Headers() {
    }

    /** The header's value decoded as above, or null when absent. */
    static String text(Context ctx, String name) {
        return utf8(ctx.header(name));
    }

    static String utf8(String value) {
        if (value == null) {
            return null;
        }
        // Plain loops, not streams: several headers of every request pass here.
        char highest = 0;
        for (int i = 0; i < value.length(); i++) {
            highest = (char) Math.max(highest, value.charAt(i));
        }
        if (highest < 0x80) {
            return value; // ASCII (nearly always): nothing to decode
        }
        if (highest > 0xFF) {
            return value; // not bytes read as ISO-8859-1
        }
        // Not UTF-8: genuine ISO-8859-1 text, kept as it is.
        return Utf8.decode(value.getBytes(StandardCharsets.ISO_8859_1)).orElse(value);
    }
}
