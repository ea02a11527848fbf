package dev.orbit.http;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small helpers for reply bodies: ordered objects that may hold nulls, and the two time formats of the contract. */
final class Json {
    // One fixed form for every ISO time the API renders. Instant.toString drops zero milliseconds and shows
    // nanoseconds when there are some, so clients comparing or parsing times strictly would see several forms.
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Json() {
    }

    /** An ordered JSON object from alternating names and values; null values are kept (written as {@code null}). */
    static Map<String, Object> object(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("expected names and values in pairs, got " + namesAndValues.length + " items");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            out.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return out;
    }

    /**
     * Seconds since the epoch with the fraction to the microsecond ("unix float" in the contract); null stays
     * null. A decimal, so it is written as {@code 1795685172.038} the way Python prints a float, never as the
     * {@code 1.795685172038E9} a Java double becomes.
     */
    static BigDecimal unix(Instant at) {
        if (at == null) {
            return null;
        }
        BigDecimal seconds = BigDecimal.valueOf(at.getEpochSecond()).add(BigDecimal.valueOf(at.getNano() / 1000, 6))
                .stripTrailingZeros();
        // stripTrailingZeros turns whole seconds into 1.7E+9 form; one decimal keeps it plain, as Python's 1700000000.0.
        return seconds.scale() < 1 ? seconds.setScale(1) : seconds;
    }

    /** ISO-8601 in UTC with milliseconds, always ({@code 2026-03-01T10:00:00.000Z}); null stays null. */
    static String iso(Instant at) {
        return at == null ? null : ISO.format(at);
    }
}
