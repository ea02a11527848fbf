package dev.orbit.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orbit.db.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Refuses request bodies whose strings are not valid Unicode. JSON lets a client write a lone UTF-16 surrogate
 * as an escape ({@code "\ud800x"}) and Jackson decodes it as it is; no UTF-8 store can hold it, so it would be
 * stored as {@code ?} and could even collide with another record's name. Every string value and field name of
 * a body is checked, before any route sees it.
 */
final class WellFormedStrings {
    static final String MESSAGE = "Input should be a valid string, unable to parse raw data as a unicode string"
            + " (unpaired UTF-16 surrogate)";

    private WellFormedStrings() {
    }

    /** 422 {@code string_unicode} at the first bad value (or, for a bad field name, at its object). */
    static void require(JsonNode body) {
        check(body, new ArrayList<>(List.of("body")));
    }

    private static void check(JsonNode node, List<Object> loc) {
        if (node.isTextual()) {
            requireWellFormed(node.textValue(), loc);
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                requireWellFormed(field.getKey(), loc); // the name itself cannot be echoed in loc
                loc.add(field.getKey());
                check(field.getValue(), loc);
                loc.removeLast();
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                loc.add(i);
                check(node.get(i), loc);
                loc.removeLast();
            }
        }
    }

    /** The storage layer's own rule ({@link Values#isWellFormed}), answered here as a 422 naming where. */
    private static void requireWellFormed(String text, List<Object> loc) {
        if (!Values.isWellFormed(text)) {
            throw new RequestValidationException(loc, MESSAGE, "string_unicode");
        }
    }
}
