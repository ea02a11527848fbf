package dev.orbit.db.sql;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.orbit.json.SharedJsonBuffers;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Nested maps and lists as JSON text in SQLite columns (e.g. {@code metadata_json}, {@code roles}).
 * Longs stay integers and doubles keep a decimal point, so each comes back as the same Java type; an
 * {@link Instant} inside is written as {@code {"$date": "..."}} (MongoDB Extended JSON's shape).
 * Written with Jackson's streaming generator, read with {@link JsonReader}.
 */
public final class JsonText {
    static final JsonFactory FACTORY = SharedJsonBuffers.factoryBuilder().build();
    private static final String DATE = "$date";

    private JsonText() {
    }

    /**
     * How a backend needs strings and doubles spelled: PostgreSQL's {@code jsonb} cannot hold NUL in a string
     * and keeps a number's digits, not its type, so it needs strings escaped and doubles with a fraction digit.
     *
     * @param strings      applied to every string value and map key
     * @param plainDoubles doubles as plain decimals with at least one fraction digit ({@code 10000000.0}, not
     *                     {@code 1.0E7}), so a store that keeps digits reads them back as doubles
     */
    public record Form(UnaryOperator<String> strings, boolean plainDoubles) {
        public static final Form STANDARD = new Form(UnaryOperator.identity(), false);
    }

    public static String write(Object value) {
        return write(value, Form.STANDARD);
    }

    public static String write(Object value, Form form) {
        StringWriter out = new StringWriter(64);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(generator, value, form);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON", e);
        }
        return out.toString();
    }

    public static Object read(String text) {
        return text == null ? null : JsonReader.read(text);
    }

    private static void write(JsonGenerator out, Object value, Form form) throws IOException {
        switch (value) {
            case null -> out.writeNull();
            case String s -> out.writeString(form.strings().apply(s));
            case Long l -> out.writeNumber(l);
            case Double d -> {
                if (form.plainDoubles()) {
                    String plain = new BigDecimal(Double.toString(d)).toPlainString();
                    out.writeNumber(plain.indexOf('.') < 0 ? plain + ".0" : plain);
                } else {
                    out.writeNumber(d);
                }
            }
            case Boolean b -> out.writeBoolean(b);
            case Instant t -> {
                out.writeStartObject();
                out.writeStringField(DATE, InstantText.format(t));
                out.writeEndObject();
            }
            case Map<?, ?> m -> {
                out.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    out.writeFieldName(form.strings().apply((String) e.getKey()));
                    write(out, e.getValue(), form);
                }
                out.writeEndObject();
            }
            case List<?> l -> {
                out.writeStartArray();
                for (Object element : l) {
                    write(out, element, form);
                }
                out.writeEndArray();
            }
            default -> throw new IllegalArgumentException("not a storable value: " + value.getClass().getName());
        }
    }
}
