package dev.orbit.db.sqlite;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Nested maps and lists as JSON text in SQLite columns (e.g. {@code metadata_json}, {@code roles}).
 * Longs stay integers and doubles keep a decimal point, so each comes back as the same Java type; an
 * {@link Instant} inside is written as {@code {"$date": "..."}} (MongoDB Extended JSON's shape).
 * Streams tokens rather than building a tree: it runs for every row that has such a column.
 */
final class JsonText {
    // A shared buffer pool: the default is per thread, which virtual threads (one per request) defeat.
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedLockFreePool()).build();
    private static final String DATE = "$date";

    private JsonText() {
    }

    static String write(Object value) {
        StringWriter out = new StringWriter(64);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON", e);
        }
        return out.toString();
    }

    static Object read(String text) {
        if (text == null) {
            return null;
        }
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new IllegalArgumentException("stored JSON is empty");
            }
            return read(parser, first);
        } catch (IOException e) {
            throw new IllegalArgumentException("stored JSON is malformed: " + e.getMessage(), e);
        }
    }

    private static void write(JsonGenerator out, Object value) throws IOException {
        switch (value) {
            case null -> out.writeNull();
            case String s -> out.writeString(s);
            case Long l -> out.writeNumber(l);
            case Double d -> out.writeNumber(d);
            case Boolean b -> out.writeBoolean(b);
            case Instant t -> {
                out.writeStartObject();
                out.writeStringField(DATE, InstantText.format(t));
                out.writeEndObject();
            }
            case Map<?, ?> m -> {
                out.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    out.writeFieldName((String) e.getKey());
                    write(out, e.getValue());
                }
                out.writeEndObject();
            }
            case List<?> l -> {
                out.writeStartArray();
                for (Object element : l) {
                    write(out, element);
                }
                out.writeEndArray();
            }
            default -> throw new IllegalArgumentException("not a storable value: " + value.getClass().getName());
        }
    }

    private static Object read(JsonParser in, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_NULL -> null;
            case VALUE_STRING -> in.getText();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NUMBER_INT -> in.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? (Object) in.getDoubleValue() : (Object) in.getLongValue();
            case VALUE_NUMBER_FLOAT -> in.getDoubleValue();
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken t = in.nextToken(); t != JsonToken.END_ARRAY; t = in.nextToken()) {
                    list.add(read(in, t));
                }
                yield Collections.unmodifiableList(list);
            }
            case START_OBJECT -> readObject(in);
            default -> throw new IllegalArgumentException("unexpected JSON token " + token);
        };
    }

    private static Object readObject(JsonParser in) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        for (JsonToken t = in.nextToken(); t != JsonToken.END_OBJECT; t = in.nextToken()) {
            String key = in.currentName();
            map.put(key, read(in, in.nextToken()));
        }
        if (map.size() == 1 && map.get(DATE) instanceof String date) {
            return InstantText.parse(date);
        }
        return Collections.unmodifiableMap(map);
    }
}
