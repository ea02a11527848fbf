package dev.orbit.service;

/**
 * What a key chosen by an admin ({@code rename}) must be. Keys are stored as unsalted SHA-256, which is safe only
 * for keys nobody can guess, so a chosen key must carry at least 128 bits if its characters were drawn at random:
 * at most 256 characters of {@code [A-Za-z0-9_-]} (safe in a URL path), and, without the configured prefix,
 * {@code length × log2(alphabet)} ≥ 128, where the alphabet is the classes the key uses (26 lower-case letters,
 * 26 upper-case, 10 digits, 1 each for '_' and '-'; 16 for hex digits of one case): e.g. 22 characters mixing letters of both cases and digits,
 * 25 of lower-case letters and digits, 32 hex digits. At least 10 different characters, which refuses runs and
 * short repeated words.
 */
final class RenamedKeys {
    static final int MIN_BITS = 128;
    static final int MIN_DISTINCT = 10;
    private static final int MAX_LENGTH = 256;

    private RenamedKeys() {
    }

    static boolean strongEnough(String key, String prefix) {
        if (key == null || key.isEmpty() || key.length() > MAX_LENGTH
                || !key.chars().allMatch(RenamedKeys::allowed)) {
            return false;
        }
        String random = !prefix.isEmpty() && key.startsWith(prefix) ? key.substring(prefix.length()) : key;
        // Hex only with a hex letter: digits alone are an alphabet of 10, not 16.
        boolean hex = (has(random, 'a', 'f') || has(random, 'A', 'F'))
                && (random.chars().allMatch(ch -> ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f')
                || random.chars().allMatch(ch -> ch >= '0' && ch <= '9' || ch >= 'A' && ch <= 'F'));
        int alphabet = hex ? 16 : (has(random, 'a', 'z') ? 26 : 0) + (has(random, 'A', 'Z') ? 26 : 0)
                + (has(random, '0', '9') ? 10 : 0) + (random.indexOf('_') >= 0 ? 1 : 0) + (random.indexOf('-') >= 0 ? 1 : 0);
        double bits = alphabet < 2 ? 0 : random.length() * (Math.log(alphabet) / Math.log(2));
        return bits >= MIN_BITS && random.chars().distinct().count() >= MIN_DISTINCT;
    }

    static String rule(String prefix) {
        return "The new API key must be at most " + MAX_LENGTH + " characters of letters, digits, '_' and '-', and as"
                + " strong as " + MIN_BITS + " random bits" + (prefix.isEmpty() ? "" : " after the prefix '" + prefix + "'")
                + ": at least 22 characters mixing upper case, lower case and digits (25 of lower case and digits,"
                + " 32 hex digits), with at least " + MIN_DISTINCT + " different characters";
    }

    private static boolean allowed(int ch) {
        return ch < 128 && (Character.isLetterOrDigit(ch) || ch == '_' || ch == '-');
    }

    private static boolean has(String text, char from, char to) {
        return text.chars().anyMatch(ch -> ch >= from && ch <= to);
    }
}
