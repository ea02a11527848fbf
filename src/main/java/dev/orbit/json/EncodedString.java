package dev.orbit.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import java.io.IOException;
import java.util.Objects;

/**
 * A string that keeps its JSON form (escaped UTF-8) once it has been written: a chat message is sent to the model
 * again with every later turn of its session, and escaping the whole history anew, character by character, on
 * every turn was the largest part of writing a provider's request (more so the longer the conversation). Later
 * writes copy the bytes. Equal when the strings are.
 */
public final class EncodedString {
    private final String value;
    // The escaped UTF-8 without its quotes, made on the first write to bytes; a benign race makes it twice at worst.
    private volatile byte[] escaped;
    // A string Jackson's encoder refuses (a lone surrogate, which its generator writes as an escape instead).
    private volatile boolean unencodable;

    public EncodedString(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public String value() {
        return value;
    }

    /**
     * Writes the string as a JSON string value: to a byte generator from the kept form (characters beyond 16 bits as
     * UTF-8, where the generator would escape them; the same string either way), to any other as the generator does.
     */
    public void write(JsonGenerator generator) throws IOException {
        byte[] bytes = generator instanceof UTF8JsonGenerator ? escaped() : null;
        if (bytes == null) {
            generator.writeString(value);
        } else {
            generator.writeRawUTF8String(bytes, 0, bytes.length);
        }
    }

    private byte[] escaped() {
        byte[] bytes = escaped;
        if (bytes == null && !unencodable) {
            try {
                bytes = JsonStringEncoder.getInstance().quoteAsUTF8(value);
                escaped = bytes;
            } catch (IllegalArgumentException e) {
                unencodable = true;
            }
        }
        return bytes;
    }

    /**
     * About the heap the string and its JSON form take, for caches that bound their memory: two bytes a character
     * for the string (at most), and up to three for its UTF-8 (more only for the escapes of control characters).
     */
    public long heapBytes() {
        return 5L * value.length();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EncodedString that && value.equals(that.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
