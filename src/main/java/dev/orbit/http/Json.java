package dev.orbit.http;

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

    /** Seconds since the epoch with the fraction ("unix float" in the contract); null stays null. */
    static Double unix(Instant at) {
        return at == null ? null : at.getEpochSecond() + at.getNano() / 1e9;
    }

    /** ISO-8601 in UTC with milliseconds, always ({@code 2026-03-01T10:00:00.000Z}); null stays null. */
    static String iso(Instant at) {
        return at == null ? null : ISO.format(at);
    }
}
