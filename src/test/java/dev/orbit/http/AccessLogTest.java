package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class AccessLogTest {
    @Test
    void durations_are_written_with_one_decimal_rounded_half_up_as_format_would_in_english() {
        for (float millis : new float[] {0f, 0.04f, 0.05f, 0.25f, 1.95f, 12.34f, 999.99f, 123456.78f, 3.0e9f}) {
            assertThat(AccessLog.tenths(millis)).as("%s ms", millis)
                    .isEqualTo(String.format(Locale.ROOT, "%.1f", millis));
        }
    }

    @Test
    void a_duration_that_is_no_plain_number_is_still_written() {
        assertThat(AccessLog.tenths(Float.NaN)).isEqualTo(String.format("%.1f", Float.NaN));
        assertThat(AccessLog.tenths(null)).isEqualTo("-");
    }
}
