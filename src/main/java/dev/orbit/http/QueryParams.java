package dev.orbit.http;

import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;

/** Typed query parameters: a value of the wrong form is a 422 naming the parameter, never a 500 or a silent default. */
final class QueryParams {
    private QueryParams() {
    }

    /** The parameter, or null when absent. */
    static String string(Context ctx, String name) {
        return ctx.queryParam(name);
    }

    /** The parameter; 422 "Field required" when absent. */
    static String required(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null) {
            throw RequestValidationException.missing(List.of("query", name));
        }
        return value;
    }

    /** An integer parameter, or the default when absent; values beyond the int range are clamped to it. */
    static int integer(Context ctx, String name, int defaultValue) {
        String value = ctx.queryParam(name);
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

    /** A boolean parameter (true/false, 1/0, yes/no, on/off, any case), or the default when absent. */
    static boolean bool(Context ctx, String name, boolean defaultValue) {
        String value = ctx.queryParam(name);
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
