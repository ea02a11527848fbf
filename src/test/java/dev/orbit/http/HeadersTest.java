package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeadersTest {
    private static String asJettyReadsIt(String sent) {
        return new String(sent.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Test
    void utf8BytesReadAsLatin1AreDecodedAndOtherValuesKept() {
        assertThat(Headers.utf8(asJettyReadsIt("s\u00e9\ud83d\ude00"))).isEqualTo("s\u00e9\ud83d\ude00");
        assertThat(Headers.utf8("plain-ascii")).isEqualTo("plain-ascii");
        assertThat(Headers.utf8("caf\u00e9")).isEqualTo("caf\u00e9"); // one Latin-1 byte: not UTF-8, kept
        assertThat(Headers.utf8(null)).isNull();
    }
}
