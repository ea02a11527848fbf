package dev.orbit.service;

/**
 * Text measured the way the reference ORBIT (Python) measures it, so a limit means the same on both: a
 * character is a code point (an emoji is one, not two UTF-16 units), and whitespace is what Python's
 * {@code str.isspace()} calls whitespace, which includes the no-break spaces Java's
 * {@link Character#isWhitespace} leaves out.
 */
final class Characters {
    private static final int NEXT_LINE = 0x85;

    private Characters() {
    }

    /** The number of characters (code points). */
    static int count(String s) {
        return s.codePointCount(0, s.length());
    }

    /** Whether the code point is whitespace, no-break spaces and NEL included. */
    static boolean isSpace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint) || codePoint == NEXT_LINE;
    }

    /** Whether the text is empty or only whitespace. */
    static boolean isBlank(String s) {
        return s.codePoints().allMatch(Characters::isSpace);
    }

    /** Whether the text holds any whitespace. */
    static boolean hasSpace(String s) {
        return s.codePoints().anyMatch(Characters::isSpace);
    }
}
