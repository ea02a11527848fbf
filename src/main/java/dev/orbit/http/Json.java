package dev.orbit.http;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small helpers for reply bodies: ordered objects that may hold nulls, and the two time formats of the contract. */
final class Json {
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

    /** ISO-8601 in UTC ({@code 2026-03-01T10:00:00.123Z}); null stays null. */
    static String iso(Instant at) {
        return at == null ? null : at.toString();
    }
}
