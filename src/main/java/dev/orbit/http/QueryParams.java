package dev.orbit.http;

import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;

/**
 * Typed query parameters: a value of the wrong form is a 422 naming the parameter, never a 500 or a silent
 * default. The query string is decoded here, strictly: Jetty drops a parameter with bad percent-encoding
 * ({@code ?name_filter=%zz}), which would turn a filter into "everything".
 */
final class QueryParams {
    static final String MALFORMED = "Malformed percent-encoding in the query string";

    private QueryParams() {
    }

    /** The parameter (its first value), or null when absent. */
    static String string(Context ctx, String name) {
        String query = ctx.queryString();
        if (query == null || query.isEmpty()) {
            return null;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String rawName = equals < 0 ? pair : pair.substring(0, equals);
            if (name.equals(decode(rawName, List.of("query")))) {
                return equals < 0 ? "" : decode(pair.substring(equals + 1), List.of("query", name));
            }
        }
        return null;
    }

    private static String decode(String raw, List<Object> loc) {
        try {
            return PercentDecoding.decode(raw, true);
        } catch (IllegalArgumentException e) {
            throw new RequestValidationException(loc, MALFORMED, "value_error");
        }
    }

    /** The parameter; 422 "Field required" when absent. */
    static String required(Context ctx, String name) {
        String value = string(ctx, name);
        if (value == null) {
            throw RequestValidationException.missing(List.of("query", name));
        }
        return value;
    }

    /** An integer parameter, or the default when absent; values beyond the int range are clamped to it. */
    static int integer(Context ctx, String name, int defaultValue) {
        String value = string(ctx, name);
        if (value == null) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value.strip());
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, parsed));
        } catch (NumberFormatException e) {
            if (value.strip().matches("[+-]?\\d+")) {
                return value.strip().startsWith("-") ? Integer.MIN_VALUE : Integer.MAX_VALUE; // too long for a long
            }
            throw new RequestValidationException(List.of("query", name),
                    "Input should be a valid integer, unable to parse string as an integer", "int_parsing");
        }
    }

    /** {@link #integer}, and a 422 naming the bounds when it is outside {@code [min, max]}. */
    static int integer(Context ctx, String name, int defaultValue, int min, int max) {
        int value = integer(ctx, name, defaultValue);
        if (value < min || value > max) {
            throw new RequestValidationException(List.of("query", name), "Input should be between " + min + " and "
                    + max, "less_than_equal");
        }
        return value;
    }

    /** A boolean parameter (true/false, 1/0, yes/no, on/off, any case), or the default when absent. */
    static boolean bool(Context ctx, String name, boolean defaultValue) {
        String value = string(ctx, name);
        if (value == null) {
            return defaultValue;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on", "t", "y" -> true;
            case "false", "0", "no", "off", "f", "n" -> false;
            default -> throw new RequestValidationException(List.of("query", name),
                    "Input should be a valid boolean, unable to interpret input", "bool_parsing");
        };
    }
}
