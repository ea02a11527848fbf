package dev.orbit.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EncodedStringTest {
    private static final JsonMapper JSON = SharedJsonBuffers.mapper();
    private static final String[] TEXTS = {"", "plain", "quote \" backslash \\ slash /", "line\nbreak\ttab\u0000nul\u001f",
            "wörld ✓ 日本", "emoji \uD83D\uDE00", "</script>", "lone \uD800 surrogate", "lone low \uDC00", "end \uD800"};

    @Test
    void itIsReadBackAsTheStringJacksonWouldHaveWrittenEveryTime() throws IOException {
        for (String text : TEXTS) {
            EncodedString encoded = new EncodedString(text);
            String jackson = bytesWritten(json -> json.writeString(text));

            String first = bytesWritten(encoded::write);
            assertThat(JSON.readTree(first).textValue()).as(text).isEqualTo(JSON.readTree(jackson).textValue());
            assertThat(bytesWritten(encoded::write)).as("written again, from its kept form").isEqualTo(first);
        }
    }

    @Test
    void aCharacterBeyond16BitsIsWrittenAsUtf8NotAsAnEscape() throws IOException {
        assertThat(bytesWritten(new EncodedString("emoji \uD83D\uDE00")::write)).isEqualTo("\"emoji \uD83D\uDE00\"");
    }

    @Test
    void aTextGeneratorWritesItAsItWritesTheString() throws IOException {
        for (String text : TEXTS) {
            StringWriter ours = new StringWriter();
            StringWriter theirs = new StringWriter();
            try (JsonGenerator json = JSON.createGenerator(ours)) {
                new EncodedString(text).write(json);
            }
            try (JsonGenerator json = JSON.createGenerator(theirs)) {
                json.writeString(text);
            }
            assertThat(ours).as(text).hasToString(theirs.toString());
        }
    }

    @Test
    void itIsEqualByItsTextAndCountsItsJsonFormInItsHeapBytes() {
        assertThat(new EncodedString("abc")).isEqualTo(new EncodedString("abc")).hasSameHashCodeAs("abc")
                .isNotEqualTo(new EncodedString("abd")).hasToString("abc");
        assertThat(new EncodedString("abc").value()).isEqualTo("abc");
        assertThat(new EncodedString("x".repeat(1000)).heapBytes()).isGreaterThanOrEqualTo(2_000 + 1_000);
    }

    @FunctionalInterface
    private interface Writing {
        void write(JsonGenerator json) throws IOException;
    }

    private static String bytesWritten(Writing writing) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            writing.write(json);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
