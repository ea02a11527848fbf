package dev.orbit.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orbit.db.Document;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ORBIT's portable export, format 1: what {@code orbit db backup} writes for MongoDB (or for SQLite with
 * {@code --export}) and {@code orbit db migrate --from export:DIR} reads back into any backend.
 *
 * <p>An export is a directory:
 * <pre>
 * DIR/manifest.json        {"format": "orbit-export", "version": 1, "created_at": "2026-03-01T10:00:00.000Z",
 *                           "source": "mongodb://db.example:27017/orbit",
 *                           "collections": [{"name": "users", "file": "users.jsonl", "documents": 3}, ...]}
 * DIR/users.jsonl          one document per line (JSON Lines, UTF-8), in _id order
 * DIR/sessions.jsonl ...   one file per collection, named after ORBIT's collection
 * </pre>
 * Each line is one document as a JSON object with ORBIT's field names ({@code _id} is the id as a string:
 * a UUID, or an ObjectId's 24 hex digits). Values: strings, booleans and lists as in JSON; whole numbers
 * are 64-bit integers and numbers with a fraction or exponent are doubles; nested documents are objects;
 * an instant is {@code {"$date": "2026-03-01T10:00:00.123Z"}} (UTC, milliseconds), at any depth. That tag
 * cannot be confused with data: ORBIT refuses nested keys starting with {@code $}. Documents hold no
 * top-level nulls (null and missing are the same); nested maps and lists keep theirs as JSON null.
 *
 * <p>The directory is written under a temporary name and renamed when complete, and the manifest records
 * each file's document count, which a reader checks, so a partial or truncated export is refused instead
 * of being imported short. Readers refuse a newer {@code version}.
 */
public final class ExportFormat {
    public static final String FORMAT = "orbit-export";
    public static final int VERSION = 1;
    public static final String MANIFEST = "manifest.json";
    public static final String EXTENSION = ".jsonl";
    static final String DATE_TAG = "$date";

    static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter INSTANT = new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

    private ExportFormat() {
    }

    /** Writes the document as one JSON object (no line break). */
    static void write(JsonGenerator out, Document document) throws IOException {
        writeMap(out, document.asMap());
    }

    /** The document a line holds; an {@link IllegalArgumentException} says what is wrong with it. */
    static Document read(JsonNode line) {
        if (line == null || !line.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        Document document = new Document(line.size());
        for (Map.Entry<String, JsonNode> field : line.properties()) {
            document.put(field.getKey(), value(field.getKey(), field.getValue()));
        }
        return document;
    }

    static String format(Instant instant) {
        return INSTANT.format(instant);
    }

    private static void writeMap(JsonGenerator out, Map<String, Object> map) throws IOException {
        out.writeStartObject();
        for (Map.Entry<String, Object> field : map.entrySet()) {
            out.writeFieldName(field.getKey());
            writeValue(out, field.getValue());
        }
        out.writeEndObject();
    }

    @SuppressWarnings("unchecked")
    private static void writeValue(JsonGenerator out, Object value) throws IOException {
        switch (value) {
            case null -> out.writeNull();
            case String s -> out.writeString(s);
            case Long l -> out.writeNumber(l);
            case Double d -> out.writeNumber(d);
            case Boolean b -> out.writeBoolean(b);
            case Instant t -> {
                out.writeStartObject();
                out.writeStringField(DATE_TAG, format(t));
                out.writeEndObject();
            }
            case Map<?, ?> m -> writeMap(out, (Map<String, Object>) m);
            case List<?> l -> {
                out.writeStartArray();
                for (Object element : l) {
                    writeValue(out, element);
                }
                out.writeEndArray();
            }
            // The persistence layer hands out only the types above (see Values.normalize).
            default -> throw new IllegalStateException("unexpected stored value type " + value.getClass().getName());
        }
    }

    private static Object value(String where, JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong()) {
                throw new IllegalArgumentException(where + ": integer out of the 64-bit range");
            }
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            for (int i = 0; i < node.size(); i++) {
                list.add(value(where + "[" + i + "]", node.get(i)));
            }
            return list;
        }
        if (node.isObject()) {
            if (node.size() == 1 && node.has(DATE_TAG)) {
                return instant(where, node.get(DATE_TAG));
            }
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                map.put(field.getKey(), value(where + "." + field.getKey(), field.getValue()));
            }
            return map;
        }
        throw new IllegalArgumentException(where + ": unsupported JSON value " + node.getNodeType());
    }

    private static Instant instant(String where, JsonNode text) {
        if (!text.isTextual()) {
            throw new IllegalArgumentException(where + ": " + DATE_TAG + " needs an ISO-8601 string");
        }
        try {
            return Instant.parse(text.textValue());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + ": " + DATE_TAG + " '" + text.textValue()
                    + "' is not an ISO-8601 instant");
        }
    }
}
