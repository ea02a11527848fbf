package dev.orbit.db.sql;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Instants as SQLite text, in the reference ORBIT's format {@code 2026-01-02T03:04:05.678000+00:00}.
 * Every value is written with the same width and offset, so text order is time order and SQL range
 * comparisons and sorts on the column are correct. Reading also accepts the other ISO-8601 shapes found
 * in older reference databases (no fraction, {@code Z}, other offsets, no offset meaning UTC).
 */
public final class InstantText {
    /** The canonical form, every digit zero. */
    private static final String TEMPLATE = "0000-00-00T00:00:00.000000+00:00";
    /** Length of the canonical form. */
    public static final int LENGTH = TEMPLATE.length();

    private InstantText() {
    }

    /** The canonical text (years 1..9999, microsecond digits, {@code +00:00}). */
    public static String format(Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        // The template's separators and offset stay; its zeros are overwritten with the fields' digits.
        char[] out = TEMPLATE.toCharArray();
        digits(out, 0, t.getYear(), 4);
        digits(out, 5, t.getMonthValue(), 2);
        digits(out, 8, t.getDayOfMonth(), 2);
        digits(out, 11, t.getHour(), 2);
        digits(out, 14, t.getMinute(), 2);
        digits(out, 17, t.getSecond(), 2);
        digits(out, 20, t.getNano() / 1000, 6);
        return new String(out);
    }

    /** The instant (millisecond precision) of any ISO-8601 date-time text; null for null. */
    public static Instant parse(String text) {
        if (text == null) {
            return null;
        }
        if (isCanonical(text)) {
            return parseCanonical(text);
        }
        return parseLenient(text).truncatedTo(ChronoUnit.MILLIS);
    }

    /** Whether the text is already in the canonical form (the migration rewrites the others). */
    public static boolean isCanonical(String text) {
        return text.length() == LENGTH && text.endsWith("+00:00") && text.charAt(10) == 'T' && text.charAt(19) == '.';
    }

    private static Instant parseCanonical(String s) {
        try {
            long epochDay = LocalDate.of(num(s, 0, 4), num(s, 5, 2), num(s, 8, 2)).toEpochDay();
            long seconds = epochDay * 86_400 + num(s, 11, 2) * 3_600L + num(s, 14, 2) * 60L + num(s, 17, 2);
            int micros = num(s, 20, 6);
            return Instant.ofEpochSecond(seconds, (micros / 1000) * 1_000_000L);
        } catch (RuntimeException e) {
            return parseLenient(s).truncatedTo(ChronoUnit.MILLIS);
        }
    }

    private static Instant parseLenient(String text) {
        String s = text.trim().replace(' ', 'T');
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(s, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not an ISO-8601 date-time: " + abbreviate(text), e);
            }
        }
    }

    private static int num(String s, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException("digit expected at " + i);
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
