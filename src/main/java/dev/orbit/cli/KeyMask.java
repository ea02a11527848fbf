package dev.orbit.cli;

import dev.orbit.service.ApiKey;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the CLI shows a raw API key anywhere but the one reply that creates it: {@code ***} and its last 4
 * characters, as the server's listings and access log show it.
 */
final class KeyMask {
    // The routes take the raw key as the path segment after /admin/api-keys/.
    private static final Pattern KEY_IN_PATH = Pattern.compile("^(/admin/api-keys/)([^/?]+)");

    private KeyMask() {
    }

    /** {@code ***} and the last 4 characters ({@link ApiKey#mask}). */
    static String of(String key) {
        return ApiKey.mask(key);
    }

    /** A request path with the key in it, if any, masked. */
    static String inPath(String path) {
        Matcher m = KEY_IN_PATH.matcher(path);
        return m.find() ? m.group(1) + of(m.group(2)) + path.substring(m.end()) : path;
    }
}
