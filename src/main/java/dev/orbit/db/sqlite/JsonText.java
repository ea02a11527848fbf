package dev.orbit.db.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Nested maps and lists as JSON text in SQLite columns (e.g. {@code metadata_json}, {@code roles}).
 * Longs stay integers and doubles keep a decimal point, so each comes back as the same Java type; an
 * {@link Instant} inside is written as {@code {"$date": "..."}} (MongoDB Extended JSON's shape).
 */
final class JsonText {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String DATE = "$date";

    private JsonText() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(toNode(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static Object read(String text) {
        if (text == null) {
            return null;
        }
        try {
            return fromNode(MAPPER.readTree(text));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stored JSON is malformed: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode toNode(Object value) {
        return switch (value) {
            case null -> NODES.nullNode();
            case String s -> NODES.textNode(s);
            case Long l -> NODES.numberNode(l);
            case Double d -> NODES.numberNode(d);
            case Boolean b -> NODES.booleanNode(b);
            case Instant t -> NODES.objectNode().put(DATE, InstantText.format(t));
            case Map<?, ?> m -> {
                ObjectNode node = NODES.objectNode();
                m.forEach((k, v) -> node.set((String) k, toNode(v)));
                yield node;
            }
            case List<?> l -> {
                ArrayNode node = NODES.arrayNode(l.size());
                l.forEach(v -> node.add(toNode(v)));
                yield node;
            }
            default -> throw new IllegalArgumentException("not a storable value: " + value.getClass().getName());
        };
    }

    private static Object fromNode(JsonNode node) {
        return switch (node.getNodeType()) {
            case NULL, MISSING -> null;
            case STRING -> node.textValue();
            case BOOLEAN -> node.booleanValue();
            case NUMBER -> node.isIntegralNumber() && node.canConvertToLong() ? (Object) node.longValue()
                    : (Object) node.doubleValue();
            case ARRAY -> {
                List<Object> list = new ArrayList<>(node.size());
                node.forEach(child -> list.add(fromNode(child)));
                yield Collections.unmodifiableList(list);
            }
            case OBJECT -> {
                if (node.size() == 1 && node.has(DATE) && node.get(DATE).isTextual()) {
                    yield InstantText.parse(node.get(DATE).textValue());
                }
                Map<String, Object> map = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    map.put(e.getKey(), fromNode(e.getValue()));
                }
                yield Collections.unmodifiableMap(map);
            }
            case BINARY, POJO -> throw new IllegalArgumentException("unexpected JSON node " + node.getNodeType());
        };
    }
}
