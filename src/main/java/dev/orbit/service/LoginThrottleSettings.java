package dev.orbit.service;

import java.time.Duration;

/**
 * Login throttling, on the database's shared counters (one limit for every gateway on the database). Failures are counted three ways, and each count past its free failures
 * blocks for {@code firstDelay}, doubling with each further failure up to {@code maxDelay}:
 * <ul>
 * <li>per username and client address ({@code freeFailures}): guessing at an account from one address slows that
 * address down for that account only, so the account's owner elsewhere can still log in;</li>
 * <li>per client address ({@code freeFailuresPerAddress}): one address trying many usernames;</li>
 * <li>per username, the addresses failing on it ({@code freeAddressesPerUsername}; each address counts once until
 * its failures on the name are forgotten): guessing at one account from many addresses. This block does not apply
 * to an address from which the account logged in successfully within {@link LoginThrottle#KNOWN_FOR}, and a single
 * address can never cause it.</li>
 * </ul>
 * A name or address without failures for {@code forgetAfter} starts afresh; a successful login forgets the
 * failures of its (username, address). {@code maxTracked} is no longer used (the counters are rows that expire by
 * TTL once forgotten, not memory); it is kept for callers. The cap is short on purpose: an attacker who guesses must not lock anyone out for long.
 */
public record LoginThrottleSettings(int freeFailures, int freeFailuresPerAddress, int freeAddressesPerUsername,
                                    Duration firstDelay, Duration maxDelay, Duration forgetAfter, int maxTracked) {
    public LoginThrottleSettings {
        Checks.between("login free failures per username and address", freeFailures, 1, 1000);
        Checks.between("login free failures per address", freeFailuresPerAddress, 1, 100_000);
        Checks.between("login free failing addresses per username", freeAddressesPerUsername, 1, 100_000);
        Checks.atMost("login first delay", firstDelay, Duration.ofMinutes(5));
        Checks.atMost("login max delay", maxDelay, Duration.ofHours(1));
        if (maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("login max delay (" + maxDelay + ") must not be below the first delay ("
                    + firstDelay + ")");
        }
        Checks.positive("login forget-after", forgetAfter);
        Checks.between("login throttle max tracked names and addresses", maxTracked, 16, 10_000_000);
    }

    /**
     * 5 failures per username and address, 20 per address and 20 failing addresses per username free, then 1 s doubling to 5
     * minutes; forgotten after 15 minutes; 100,000 entries at most (a few tens of MB at worst).
     */
    public static LoginThrottleSettings defaults() {
        return new LoginThrottleSettings(5, 20, 20, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
                100_000);
    }
}
