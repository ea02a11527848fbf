package dev.orbit.http;

import dev.orbit.service.ApiKey;
import io.javalin.config.Key;
import io.javalin.http.Context;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;

/**
 * Request paths as they may be logged (the access log, error logs): API keys masked to their last 4
 * characters, no control characters, at most {@value #MAX_PATH} characters. A key is masked wherever it is,
 * however the path is spelled ({@code //admin/api-keys/K}, {@code /admin/./api-keys/K},
 * {@code /admin/api-keys;a=b/K}, {@code /ADMIN/...}, percent-encoded): any segment that follows an
 * {@code api-keys} segment (where the reference CLI puts raw keys, whatever they were renamed to), and any
 * segment that starts like a generated key (the configured prefix and a key character).
 */
final class LogPaths {
    /** Where {@link HttpServer} keeps the instance for the requests' {@link Context}. */
    static final Key<LogPaths> KEY = new Key<>("orbit.log-paths");
    private static final int MAX_PATH = 200;
    private static final String KEYS_SEGMENT = "api-keys";
    private static final int UNPREFIXED_KEY_LENGTH = 32;

    private final String prefix;
    private final Pattern generatedKey;

    LogPaths(String apiKeyPrefix) {
        this.prefix = apiKeyPrefix;
        // Keys are the prefix and 32 characters of [A-Za-z0-9]. Without a prefix only that length gives them away.
        this.generatedKey = Pattern.compile(apiKeyPrefix.isEmpty() ? "[A-Za-z0-9]{" + UNPREFIXED_KEY_LENGTH + "}.*"
                : Pattern.quote(apiKeyPrefix) + "[A-Za-z0-9].*", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    }

    /** The request's path as it may be logged. */
    static String of(Context ctx) {
        return ctx.appData(KEY).safe(ctx.path());
    }

    /** The path as it may be logged. */
    String safe(String path) {
        return isPlainAndKeyless(path) ? path : printable(masked(path));
    }

    /**
     * Whether the path is logged as it is, decided in one look at its characters: every request's path is logged,
     * nearly all are a route's plain name, and splitting, decoding and rebuilding each one showed in the chat load's
     * profile. Plain: short enough, only the characters route names are made of (so nothing to decode or make
     * printable); keyless: no segment is {@code api-keys} (none can follow one) or starts like a generated key.
     * Any other path takes the whole way, which gives these paths unchanged too.
     */
    private boolean isPlainAndKeyless(String path) {
        if (path.length() > MAX_PATH) {
            return false;
        }
        int start = 0;
        for (int i = 0; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                boolean keysSegment = i - start == KEYS_SEGMENT.length()
                        && path.regionMatches(true, start, KEYS_SEGMENT, 0, KEYS_SEGMENT.length());
                if (keysSegment || mayBeGenerated(path, start, i)) {
                    return false;
                }
                start = i + 1;
            } else if (!isRouteNameChar(path.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isRouteNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                || c == '.';
    }

    private String masked(String path) {
        StringBuilder out = new StringBuilder(path.length());
        Deque<String> resolved = new ArrayDeque<>(); // the segments as the router sees them, for "follows api-keys"
        String[] segments = path.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String raw = segments[i];
            String name = name(raw);
            boolean secret = false;
            if (name.equals("..")) {
                resolved.pollLast();
            } else if (!name.isEmpty() && !name.equals(".")) {
                secret = KEYS_SEGMENT.equalsIgnoreCase(resolved.peekLast()) || looksGenerated(name);
                resolved.addLast(name);
            }
            out.append(i == 0 ? "" : "/").append(secret ? mask(name) : raw);
        }
        return out.toString();
    }

    // Whether the segment starts like a generated key. Every request's path is logged, and nearly no segment starts
    // with the prefix (or is long enough without one): that look spares the regular expression.
    private boolean looksGenerated(String name) {
        return mayBeGenerated(name, 0, name.length()) && generatedKey.matcher(name).matches();
    }

    // Whether text[from, to) starts like a generated key (without copying it out: every request's path is looked at).
    private boolean mayBeGenerated(String text, int from, int to) {
        return prefix.isEmpty() ? to - from >= UNPREFIXED_KEY_LENGTH
                : to - from >= prefix.length() && text.regionMatches(true, from, prefix, 0, prefix.length());
    }

    // A segment without its ";parameters", percent-decoded when it can be: what a route would take as its value.
    private static String name(String raw) {
        int semicolon = raw.indexOf(';');
        String bare = semicolon < 0 ? raw : raw.substring(0, semicolon);
        try {
            return PercentDecoding.decode(bare, false);
        } catch (IllegalArgumentException e) {
            return bare;
        }
    }

    private static String mask(String secret) {
        return ApiKey.mask(secret);
    }

    // A path cannot forge a log line or flood it.
    private static String printable(String path) {
        StringBuilder out = new StringBuilder(Math.min(path.length(), MAX_PATH + 3));
        for (int i = 0; i < path.length() && out.length() < MAX_PATH; i++) {
            char c = path.charAt(i);
            out.append(Character.isISOControl(c) || Character.isWhitespace(c) ? '?' : c);
        }
        return path.length() > MAX_PATH ? out + "..." : out.toString();
    }
}
