package dev.orbit.db.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTextTest {
    @Test
    void everyValueTypeRoundTripsWithItsJavaType() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("text", "a\"b\\c\n\t\0 é 🎉 \u2028");
        nested.put("long", Long.MIN_VALUE);
        nested.put("double", 1.0);
        nested.put("tiny", 1e-300);
        nested.put("flags", List.of(true, false));
        nested.put("nothing", null);
        nested.put("when", Instant.parse("1969-07-20T20:17:40.123Z"));
        nested.put("deeper", Map.of("list", Arrays.asList(1L, null, List.of(), Map.of())));
        Object back = JsonText.read(JsonText.write(nested));
        assertThat(back).isEqualTo(nested);
        assertThat(((Map<?, ?>) back).get("double")).isInstanceOf(Double.class);
        assertThat(((Map<?, ?>) back).get("long")).isInstanceOf(Long.class);
    }

    @Test
    void textWrittenByPythonWithSpacesAndEscapesReads() {
        Object value = JsonText.read(" { \"roles\" : [ \"admin\" , \"user\" ] ,\n \"name\": \"caf\\u00e9 \\ud83c\\udf89\", "
                + "\"n\": -12, \"x\": 2.5E+2, \"big\": 123456789012345678901234 } ");
        assertThat(value).isEqualTo(Map.of("roles", List.of("admin", "user"), "name", "café 🎉", "n", -12L,
                "x", 250.0, "big", 1.2345678901234568e23));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[1,", "{\"a\" 1}", "[1 2]", "\"open", "tru", "{\"a\":1}x", "-", "\"\\x\"", "\"\\u12\""})
    void malformedTextIsRefusedWithoutQuotingIt(String text) {
        assertThatThrownBy(() -> JsonText.read(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("stored JSON is malformed").hasMessageNotContaining("open");
    }

    @Test
    void theBufferPoolIsSharedByEveryThreadAndNotOneJacksonDeprecated() {
        var pool = JsonText.FACTORY._getRecyclerPool();

        assertThat(pool.getClass().isAnnotationPresent(Deprecated.class)).as(pool.getClass().getName()).isFalse();
        assertThat(pool).isNotInstanceOf(com.fasterxml.jackson.core.util.JsonRecyclerPools.ThreadLocalPool.class);
    }
}
