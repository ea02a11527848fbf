package dev.orbit.admin;

import java.io.PrintWriter;
import java.io.Writer;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps credentials out of everything a command prints: {@link #mask} hides the password (and secret
 * options) of a URL, and a redactor that has seen a URL blanks its secrets out of any later text too (a
 * driver's error message may quote what it was given).
 */
public final class Redactor {
    static final String MASK = "****";
    /** Query options whose values are secrets (MongoDB's AWS session token goes in authMechanismProperties). */
    private static final Pattern SECRET_OPTION = Pattern.compile(
            "(?i)([?&](?:password|[a-z]*secret[a-z]*|[a-z]*token[a-z]*|authMechanismProperties|"
                    + "tlsCertificateKeyFilePassword)=)([^&#]*)");
    /** Shorter values would blank out ordinary letters everywhere; the URL itself is still masked. */
    private static final int MIN_SECRET_LENGTH = 3;

    private final Set<String> secrets = ConcurrentHashMap.newKeySet();

    /**
     * The URL with the password in its user information and the values of secret options replaced by
     * {@code ****}; a URL without credentials comes back unchanged.
     */
    public static String mask(String url) {
        if (url == null) {
            return null;
        }
        Parts parts = Parts.of(url);
        String masked = parts.password == null ? url
                : url.substring(0, parts.passwordStart) + MASK + url.substring(parts.passwordEnd);
        Matcher options = SECRET_OPTION.matcher(masked);
        return options.replaceAll(m -> Matcher.quoteReplacement(m.group(1) + (m.group(2).isEmpty() ? "" : MASK)));
    }

    /** Remembers the URL's secrets, so that {@link #apply} blanks them out of any text; returns the masked URL. */
    public String remember(String url) {
        if (url == null) {
            return null;
        }
        Parts parts = Parts.of(url);
        if (parts.password != null) {
            add(parts.password);
            add(decode(parts.password));
        }
        Matcher options = SECRET_OPTION.matcher(url);
        while (options.find()) {
            add(options.group(2));
            add(decode(options.group(2)));
        }
        return mask(url);
    }

    /** Remembers a secret given on its own (a configured password), as is and URL-escaped. */
    public void rememberSecret(String secret) {
        if (secret != null) {
            add(secret);
            add(URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"));
        }
    }

    /** The text with every remembered secret replaced by {@code ****}. */
    public String apply(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        List<String> longestFirst = new ArrayList<>(secrets);
        longestFirst.sort(Comparator.comparingInt(String::length).reversed());
        String out = text;
        for (String secret : longestFirst) {
            out = out.replace(secret, MASK);
        }
        return out;
    }

    /** A writer that passes what is written to {@code out} with the remembered secrets blanked out, at each flush. */
    public PrintWriter redacting(PrintWriter out) {
        return new PrintWriter(new Writer() {
            private final StringBuilder pending = new StringBuilder();

            @Override
            public void write(char[] chars, int offset, int length) {
                pending.append(chars, offset, length);
            }

            @Override
            public void flush() {
                out.print(apply(pending.toString()));
                pending.setLength(0);
                out.flush();
            }

            @Override
            public void close() {
                flush();
            }
        });
    }

    private void add(String secret) {
        if (secret != null && secret.length() >= MIN_SECRET_LENGTH) {
            secrets.add(secret);
        }
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Where the password of {@code scheme://user:password@host...} lies. The last {@code @} before the query
     * ends the user information, so that a password holding unescaped {@code /} or {@code @} (a common
     * mistake, and exactly when an error message may echo the URL) is still masked whole.
     */
    private record Parts(String password, int passwordStart, int passwordEnd) {
        static Parts of(String url) {
            int scheme = url.indexOf("://");
            if (scheme < 0) {
                return new Parts(null, -1, -1);
            }
            int start = scheme + 3;
            int query = url.indexOf('?', start);
            int end = query < 0 ? url.length() : query;
            int at = url.lastIndexOf('@', end - 1);
            if (at < start) {
                return new Parts(null, -1, -1);
            }
            int colon = url.indexOf(':', start);
            if (colon < 0 || colon > at) {
                return new Parts(null, -1, -1);
            }
            return new Parts(url.substring(colon + 1, at), colon + 1, at);
        }
    }
}
