package dev.orbit.db;

import java.util.regex.Pattern;

/** The strict identifier rule for collection, field and index names: nothing else can reach SQL. */
public final class Names {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private Names() {
    }

    /** Returns the name if it is a plain identifier, else throws naming what it was meant to be. */
    public static String requireIdentifier(String kind, String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new InvalidQueryException("invalid " + kind + " name " + quote(name)
                    + ": expected letters, digits and '_' (at most 63, not starting with a digit)");
        }
        return name;
    }

    /** Quotes a caller-supplied name for an error message, cut short and with control characters escaped. */
    public static String quote(String name) {
        if (name == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("'");
        name.codePoints().limit(64).forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        if (name.codePointCount(0, name.length()) > 64) {
            out.append("...");
        }
        return out.append('\'').toString();
    }
}
