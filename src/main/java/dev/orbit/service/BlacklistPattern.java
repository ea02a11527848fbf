package dev.orbit.service;

import java.util.Locale;

/**
 * A login blacklist pattern: trimmed and lowercased, at most {@link #MAX_LENGTH} characters, with two wildcards,
 * {@code *} (any run of characters, none included) and {@code ?} (exactly one); every other character stands for
 * itself. Matching walks both texts once per star backtrack, never a regular expression, so a pattern cannot inject
 * regex syntax and costs at most length(pattern) x length(value) steps whatever its shape.
 */
public record BlacklistPattern(String text) {
    /** The longest pattern: the longest email address (RFC 5321). */
    public static final int MAX_LENGTH = 320;

    /** The pattern as stored: {@code raw} trimmed and lowercased; 400 when empty, too long, all wildcards or not text. */
    public static BlacklistPattern of(String raw) {
        String text = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
        if (text.isEmpty()) {
            throw new ServiceException.InvalidInput("Pattern cannot be empty");
        }
        if (text.codePointCount(0, text.length()) > MAX_LENGTH) {
            throw new ServiceException.InvalidInput("Pattern cannot exceed " + MAX_LENGTH + " characters");
        }
        // Control characters (NUL...) and half surrogate pairs are no one's name or address.
        if (text.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.isSurrogate((char) c))) {
            throw new ServiceException.InvalidInput("Pattern must be printable text");
        }
        if (text.chars().allMatch(c -> c == '*' || c == '?')) {
            // "*" would refuse every account, the caller's and every admin's included.
            throw new ServiceException.InvalidInput("Pattern must contain at least one literal character");
        }
        return new BlacklistPattern(text);
    }

    /** Whether {@code value}, trimmed and lowercased, matches; a missing value matches nothing. */
    public boolean matches(String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return glob(text.codePoints().toArray(), value.strip().toLowerCase(Locale.ROOT).codePoints().toArray());
    }

    // The classic two-pointer wildcard match: on a mismatch, go back to the last star and let it take one more
    // character. Each star restart moves the value forward, so the work is bounded by the product of the lengths.
    private static boolean glob(int[] pattern, int[] value) {
        int p = 0;
        int v = 0;
        int star = -1;
        int starValue = 0;
        while (v < value.length) {
            if (p < pattern.length && (pattern[p] == '?' || pattern[p] == value[v])) {
                p++;
                v++;
            } else if (p < pattern.length && pattern[p] == '*') {
                star = p++;
                starValue = v;
            } else if (star >= 0) {
                p = star + 1;
                v = ++starValue;
            } else {
                return false;
            }
        }
        while (p < pattern.length && pattern[p] == '*') {
            p++;
        }
        return p == pattern.length;
    }
}
