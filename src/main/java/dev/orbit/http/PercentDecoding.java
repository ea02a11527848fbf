package dev.orbit.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Strict percent-decoding of URL parts as UTF-8. The lenient decoders around (Jetty's for query strings, the
 * JDK's {@code URLDecoder}) drop a bad escape or turn it into U+FFFD, so a filter the client sent would be
 * silently ignored or changed; here a bad escape ({@code %zz}, {@code %e2%82}, {@code %ff}) is an error.
 */
final class PercentDecoding {
    private PercentDecoding() {
    }

    /**
     * The decoded text; with {@code plusIsSpace} (query strings) {@code +} is a space.
     *
     * @throws IllegalArgumentException if an escape is not {@code %} and two hex digits or the bytes are not UTF-8
     */
    static String decode(String raw, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0) {
            return plusIsSpace ? raw.replace('+', ' ') : raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        int plain = 0; // start of the text since the last escape, copied as it is
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) == '%') {
                if (i + 2 >= raw.length() || !isHex(raw.charAt(i + 1)) || !isHex(raw.charAt(i + 2))) {
                    throw new IllegalArgumentException("bad percent escape");
                }
                bytes.writeBytes(text(raw.substring(plain, i), plusIsSpace));
                bytes.write(HexFormat.fromHexDigits(raw, i + 1, i + 3));
                i += 2;
                plain = i + 1;
            }
        }
        bytes.writeBytes(text(raw.substring(plain), plusIsSpace));
        return Utf8.decode(bytes.toByteArray())
                .orElseThrow(() -> new IllegalArgumentException("percent escapes that are not UTF-8"));
    }

    /** Whether {@link #decode} refuses the text. */
    static boolean isMalformed(String raw, boolean plusIsSpace) {
        try {
            decode(raw, plusIsSpace);
            return false;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private static byte[] text(String plain, boolean plusIsSpace) {
        return (plusIsSpace ? plain.replace('+', ' ') : plain).getBytes(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
