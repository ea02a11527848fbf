package dev.orbit.service;

import java.time.Duration;

/**
 * Login throttling: after {@code freeFailures} failures for one username (or {@code freeFailuresPerAddress}
 * for one client address) each further failure blocks that name or address for {@code firstDelay}, doubling
 * up to {@code maxDelay}. A name or address without failures for {@code forgetAfter} starts afresh. The cap is
 * short on purpose: an attacker who guesses at someone's username must not lock them out for long.
 */
public record LoginThrottleSettings(int freeFailures, int freeFailuresPerAddress, Duration firstDelay, Duration maxDelay,
                                    Duration forgetAfter, int maxTracked) {
    public LoginThrottleSettings {
        Checks.between("login free failures per username", freeFailures, 1, 1000);
        Checks.between("login free failures per address", freeFailuresPerAddress, 1, 100_000);
        Checks.atMost("login first delay", firstDelay, Duration.ofMinutes(5));
        Checks.atMost("login max delay", maxDelay, Duration.ofHours(1));
        if (maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("login max delay (" + maxDelay + ") must not be below the first delay ("
                    + firstDelay + ")");
        }
        Checks.positive("login forget-after", forgetAfter);
        Checks.between("login throttle max tracked names and addresses", maxTracked, 16, 10_000_000);
    }

    /** 5 failures per name and 20 per address free, then 1 s doubling to 5 minutes; forgotten after 15 minutes. */
    public static LoginThrottleSettings defaults() {
        return new LoginThrottleSettings(5, 20, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
                100_000);
    }
}
