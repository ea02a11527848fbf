package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JsonTest {
    /** Every ISO time the API renders: UTC, milliseconds, Z. */
    static final String ISO_MILLIS = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    @Test
    void isoTimesAlwaysHaveMillisecondsWhateverThePrecision() {
        assertThat(Json.iso(Instant.parse("2026-03-01T10:26:32Z"))).isEqualTo("2026-03-01T10:26:32.000Z");
        assertThat(Json.iso(Instant.parse("2026-03-01T10:26:24.386Z"))).isEqualTo("2026-03-01T10:26:24.386Z");
        assertThat(Json.iso(Instant.parse("2026-03-01T10:26:24.386123456Z"))).isEqualTo("2026-03-01T10:26:24.386Z");
        assertThat(Json.iso(null)).isNull();
    }

    @Test
    void unixTimesKeepTheirFraction() {
        assertThat(Json.unix(Instant.parse("2026-03-01T10:26:24.386123Z"))).isEqualTo(new BigDecimal("1772360784.386123"));
        assertThat(Json.unix(null)).isNull();
    }

    @Test
    void unixTimesAreWrittenAsPlainDecimalsAsPythonWritesFloats() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        assertThat(mapper.writeValueAsString(Json.unix(Instant.parse("2026-11-26T10:00:00Z")))).isEqualTo("1795687200.0");
        assertThat(mapper.writeValueAsString(Json.unix(Instant.parse("2026-11-26T10:00:00.958Z"))))
                .isEqualTo("1795687200.958");
    }
}
