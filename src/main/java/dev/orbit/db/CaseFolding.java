package dev.orbit.db;

/**
 * Case-insensitive text matching the same way on every SQL backend: each code point is folded on its
 * own (upper, then lower case), so context rules such as Greek final sigma cannot make an exact-case
 * substring miss ("ΟΔΥΣ" folds like the start of "ΟΔΥΣΣΕΥΣ").
 */
public final class CaseFolding {
    private CaseFolding() {
    }

    public static String fold(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> out.appendCodePoint(Character.toLowerCase(Character.toUpperCase(cp))));
        return out.toString();
    }
}
