package dev.orbit.db.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.db.Values;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InstantTextTest {
    private static final Pattern CANONICAL =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}\\+00:00");

    @ParameterizedTest(name = "{0} is written as {1} and read back unchanged")
    @CsvSource({
            "1970-01-01T00:00:00Z,      1970-01-01T00:00:00.000000+00:00",
            "1969-12-31T23:59:59.999Z,  1969-12-31T23:59:59.999000+00:00",
            "1901-12-13T20:45:52.001Z,  1901-12-13T20:45:52.001000+00:00",
            "0001-01-01T00:00:00Z,      0001-01-01T00:00:00.000000+00:00",
            "9999-12-31T23:59:59.999Z,  9999-12-31T23:59:59.999000+00:00",
            "2026-01-02T03:04:05.678Z,  2026-01-02T03:04:05.678000+00:00",
            "2000-02-29T12:00:00.5Z,    2000-02-29T12:00:00.500000+00:00",
    })
    void canonical_text_round_trips(String instant, String text) {
        Instant value = Instant.parse(instant);

        assertThat(InstantText.format(value)).isEqualTo(text).hasSize(InstantText.LENGTH);
        assertThat(InstantText.isCanonical(text)).isTrue();
        assertThat(InstantText.parse(text)).isEqualTo(value);
    }

    @Test
    void the_storable_range_boundaries_format_to_four_digit_years() {
        assertThat(InstantText.format(Values.MIN_INSTANT)).isEqualTo("0001-01-01T00:00:00.000000+00:00");
        assertThat(InstantText.format(Values.MAX_INSTANT)).isEqualTo("9999-12-31T23:59:59.999000+00:00");
        assertThat(InstantText.parse(InstantText.format(Values.MIN_INSTANT))).isEqualTo(Values.MIN_INSTANT);
        assertThat(InstantText.parse(InstantText.format(Values.MAX_INSTANT))).isEqualTo(Values.MAX_INSTANT);
    }

    @Test
    void parsing_truncates_to_milliseconds() {
        assertThat(InstantText.parse("2026-01-02T03:04:05.678901+00:00"))
                .isEqualTo(Instant.parse("2026-01-02T03:04:05.678Z"));
        assertThat(InstantText.parse("1969-12-31T23:59:59.999999+00:00"))
                .isEqualTo(Instant.parse("1969-12-31T23:59:59.999Z"));
        assertThat(InstantText.parse("2026-01-02T03:04:05.678901234Z"))
                .isEqualTo(Instant.parse("2026-01-02T03:04:05.678Z"));
    }

    @Test
    void sub_millisecond_digits_written_are_microseconds_and_stay_in_the_fixed_width() {
        Instant value = Instant.parse("2026-01-02T03:04:05.123456789Z");

        assertThat(InstantText.format(value)).isEqualTo("2026-01-02T03:04:05.123456+00:00");
    }

    @Test
    void text_order_is_time_order_for_a_random_sample() {
        Random random = new Random(20260102L);
        long min = Values.MIN_INSTANT.toEpochMilli();
        long max = Values.MAX_INSTANT.toEpochMilli();
        List<Instant> instants = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            // Half across the whole range, half packed around 1970 (sign changes) and near each other.
            long millis = i % 2 == 0 ? min + (long) (random.nextDouble() * (max - min))
                    : random.nextLong(-5_000L, 5_000L) + (i % 4 == 1 ? 0 : 1_767_322_000_000L);
            instants.add(Instant.ofEpochMilli(millis));
        }

        List<Instant> byTime = instants.stream().sorted().toList();
        List<Instant> byText = instants.stream().sorted(Comparator.comparing(InstantText::format)).toList();

        assertThat(byText).isEqualTo(byTime);
        assertThat(instants).allSatisfy(t -> {
            assertThat(InstantText.format(t)).matches(CANONICAL);
            assertThat(InstantText.parse(InstantText.format(t))).isEqualTo(t);
        });
    }

    @ParameterizedTest(name = "{0} reads as {1}")
    @CsvSource(delimiter = '|', value = {
            "2026-01-02T03:04:05.678901+00:00 | 2026-01-02T03:04:05.678Z",
            "2026-01-02T03:04:05+00:00        | 2026-01-02T03:04:05Z",
            "2026-01-02T03:04:05Z             | 2026-01-02T03:04:05Z",
            "2026-01-02 03:04:05              | 2026-01-02T03:04:05Z",
            "2026-01-02T05:04:05+02:00        | 2026-01-02T03:04:05Z",
            "2026-01-01T22:04:05-05:00        | 2026-01-02T03:04:05Z",
            "2026-01-02T03:04:05.5+00:00      | 2026-01-02T03:04:05.500Z",
            "2026-01-02 03:04:05.678901       | 2026-01-02T03:04:05.678Z",
            "2026-01-02T03:04:05              | 2026-01-02T03:04:05Z",
    })
    void lenient_parsing_accepts_the_shapes_of_older_reference_databases(String text, String expected) {
        assertThat(InstantText.parse(text)).isEqualTo(Instant.parse(expected));
        assertThat(InstantText.format(InstantText.parse(text))).matches(CANONICAL);
    }

    @Test
    void non_canonical_shapes_are_recognised_as_such() {
        assertThat(InstantText.isCanonical("2026-01-02T03:04:05+00:00")).isFalse();
        assertThat(InstantText.isCanonical("2026-01-02 03:04:05.678901+00:00")).isFalse();
        assertThat(InstantText.isCanonical("2026-01-02T05:04:05.678901+02:00")).isFalse();
        assertThat(InstantText.isCanonical("2026-01-02T03:04:05.678901Z")).isFalse();
    }

    @Test
    void an_impossible_date_in_canonical_shape_is_refused_not_rolled_over() {
        assertThatThrownBy(() -> InstantText.parse("2026-02-30T03:04:05.000000+00:00"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2026-02-30");
    }

    @Test
    void text_that_is_not_a_date_time_is_refused_with_the_text_in_the_message() {
        assertThatThrownBy(() -> InstantText.parse("yesterday"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("yesterday");
    }

    @Test
    void null_reads_as_null() {
        assertThat(InstantText.parse(null)).isNull();
    }

    @Test
    void format_keeps_microseconds_of_a_value_already_cut_to_milliseconds_as_zeros() {
        Instant value = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        assertThat(InstantText.format(value)).endsWith("000+00:00");
    }
}
