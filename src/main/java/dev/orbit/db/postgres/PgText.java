package dev.orbit.db.postgres;

/**
 * PostgreSQL text cannot hold U+0000, which ORBIT's strings may. Stored text therefore spells U+0000 as
 * U+0001 U+0001 and U+0001 as U+0001 U+0002. The codes form a prefix-free code in the characters' own order,
 * so equality and binary ({@code COLLATE "C"}) order of stored text are those of the original strings.
 */
final class PgText {
    private static final char ESCAPE = '\u0001';

    private PgText() {
    }

    static String encode(String s) {
        if (!needsEscape(s)) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\0') {
                out.append(ESCAPE).append(ESCAPE);
            } else if (c == ESCAPE) {
                out.append(ESCAPE).append('\u0002');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String decode(String s) {
        if (s == null || s.indexOf(ESCAPE) < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ESCAPE && i + 1 < s.length()) {
                out.append(s.charAt(++i) == ESCAPE ? '\0' : ESCAPE);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean needsEscape(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) <= ESCAPE) {
                return true;
            }
        }
        return false;
    }
}
