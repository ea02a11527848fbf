package dev.orbit.service;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The fixed windows counters count in, on UTC calendar boundaries: a minute and an hour start on the full minute
 * and hour, a day at 00:00 UTC, a month at 00:00 UTC on its 1st. A window's count starts afresh when the next begins.
 */
public enum CounterWindow {
    MINUTE("minute"), HOUR("hour"), DAY("daily"), MONTH("monthly");

    /** How long a finished window's row is kept before its TTL removes it (reports may read the last one). */
    static final Duration KEPT_AFTER_END = Duration.ofMinutes(5);

    private final String label;

    CounterWindow(String label) {
        this.label = label;
    }

    /** The name stored in {@code window} and shown to clients ({@code daily}, {@code monthly}, ...). */
    public String label() {
        return label;
    }

    /** The start of the window holding {@code now}. */
    public Instant start(Instant now) {
        return switch (this) {
            case MINUTE -> now.truncatedTo(ChronoUnit.MINUTES);
            case HOUR -> now.truncatedTo(ChronoUnit.HOURS);
            case DAY -> now.truncatedTo(ChronoUnit.DAYS);
            case MONTH -> LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC)
                    .toInstant();
        };
    }

    /** When the window holding {@code now} ends (the next one's start): its counts reset then. */
    public Instant end(Instant now) {
        Instant start = start(now);
        return switch (this) {
            case MINUTE -> start.plus(Duration.ofMinutes(1));
            case HOUR -> start.plus(Duration.ofHours(1));
            case DAY -> start.plus(Duration.ofDays(1));
            case MONTH -> start.atZone(ZoneOffset.UTC).plusMonths(1).toInstant();
        };
    }
}
