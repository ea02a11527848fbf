package dev.orbit.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A request body that is a JSON object, with typed getters. A field of the wrong type is a 422 naming it
 * ({@code ["body", "roles", 1]}); optional getters return null for absent or null fields.
 */
final class JsonBody {
    private final ObjectNode node;

    JsonBody(ObjectNode node) {
        this.node = node;
    }

    /** The raw tree, for routes that pass parts of it on (e.g. chat messages). */
    ObjectNode tree() {
        return node;
    }

    String requiredString(String field) {
        String value = optionalString(field);
        if (value == null) {
            throw RequestValidationException.missing(List.of("body", field));
        }
        return value;
    }

    String optionalString(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw wrongType(List.of("body", field), "string");
        }
        return value.textValue();
    }

    Boolean optionalBoolean(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw wrongType(List.of("body", field), "bool");
        }
        return value.booleanValue();
    }

    /** A number (integer or not); {@code ["body", field]} 422 for anything else. */
    Double optionalNumber(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            throw wrongType(List.of("body", field), "number");
        }
        return value.doubleValue();
    }

    /** A whole number within the int range. */
    Integer optionalInteger(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw wrongType(List.of("body", field), "int");
        }
        return value.intValue();
    }

    List<String> requiredStringList(String field) {
        List<String> value = optionalStringList(field);
        if (value == null) {
            throw RequestValidationException.missing(List.of("body", field));
        }
        return value;
    }

    List<String> optionalStringList(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            throw wrongType(List.of("body", field), "list");
        }
        List<String> out = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isTextual()) {
                throw wrongType(List.of("body", field, i), "string");
            }
            out.add(value.get(i).textValue());
        }
        return out;
    }

    private JsonNode value(String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    /** Pydantic's wording, which the reference's clients may show. */
    static RequestValidationException wrongType(List<Object> loc, String type) {
        return switch (type) {
            case "int" -> new RequestValidationException(loc, "Input should be a valid integer", "int_type");
            case "bool" -> new RequestValidationException(loc, "Input should be a valid boolean", "bool_type");
            case "number" -> new RequestValidationException(loc, "Input should be a valid number", "float_type");
            case "list" -> new RequestValidationException(loc, "Input should be a valid list", "list_type");
            case "object" -> new RequestValidationException(loc, "Input should be a valid dictionary", "dict_type");
            default -> new RequestValidationException(loc, "Input should be a valid string", "string_type");
        };
    }
}
