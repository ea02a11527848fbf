package dev.orbit.db.sql;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Nested maps and lists as JSON text in SQLite columns (e.g. {@code metadata_json}, {@code roles}).
 * Longs stay integers and doubles keep a decimal point, so each comes back as the same Java type; an
 * {@link Instant} inside is written as {@code {"$date": "..."}} (MongoDB Extended JSON's shape).
 * Written with Jackson's streaming generator, read with {@link JsonReader}.
 */
public final class JsonText {
    // A shared buffer pool: the default is per thread, which virtual threads (one per request) defeat.
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedLockFreePool()).build();
    private static final String DATE = "$date";

    private JsonText() {
    }

    public static String write(Object value) {
        StringWriter out = new StringWriter(64);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON", e);
        }
        return out.toString();
    }

    public static Object read(String text) {
        return text == null ? null : JsonReader.read(text);
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
}
