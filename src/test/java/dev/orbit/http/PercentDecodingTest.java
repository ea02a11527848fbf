package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PercentDecodingTest {
    @Test
    void decodesUtf8EscapesAndPlusOnlyInQueries() {
        assertThat(PercentDecoding.decode("caf%C3%A9+au%20lait", true)).isEqualTo("café au lait");
        assertThat(PercentDecoding.decode("a+b", false)).isEqualTo("a+b");
        assertThat(PercentDecoding.decode("s%C3%A9%F0%9F%98%80", false)).isEqualTo("sé😀");
        assertThat(PercentDecoding.decode("plain", true)).isEqualTo("plain");
    }

    @Test
    void refusesBadEscapesAndBytesThatAreNotUtf8() {
        for (String bad : List.of("%zz", "%", "a%2", "%ff", "%e2%82", "%ed%a0%80", "%c0%af")) {
            assertThatThrownBy(() -> PercentDecoding.decode(bad, true)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(PercentDecoding.isMalformed(bad, false)).isTrue();
        }
    }
}
