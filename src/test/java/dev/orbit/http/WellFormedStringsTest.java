package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orbit.db.Values;
import java.util.List;
import org.junit.jupiter.api.Test;

class WellFormedStringsTest {
    @Test
    void pairedSurrogatesAreWellFormedAndLoneOnesAreNot() {
        assertThat(Values.isWellFormed("plain \ud83d\ude00 text")).isTrue();
        for (String bad : List.of("\ud800", "\ud800x", "x\udc00", "\udc00\ud800", "\ud83d\ude00\ud83d")) {
            assertThat(Values.isWellFormed(bad)).as(bad).isFalse();
        }
    }

    @Test
    void aBadFieldNameIsReportedAtItsObjectWithoutEchoingIt() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("outer").put("k\udc00", 1);

        assertThatThrownBy(() -> WellFormedStrings.require(body))
                .isInstanceOfSatisfying(RequestValidationException.class, e -> {
                    assertThat(e.problems()).singleElement().satisfies(p -> {
                        assertThat(p.loc()).containsExactly("body", "outer");
                        assertThat(p.type()).isEqualTo("string_unicode");
                    });
                });
    }
}
