package dev.orbit.service;

import dev.orbit.db.DatabaseService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Login throttling on the database's shared counters, so one limit holds however many gateways share it (see
 * {@link LoginThrottleSettings} for the policy). Failures are counted per (username, address) and per address, and
 * the addresses failing on a username are counted per username; usernames are compared case-folded
 * ({@link AccountRules#usernameKey}), as accounts are. The username-wide block applies only to addresses that have
 * not logged in to that account before, so that guessing at a name cannot keep its owner out where they log in.
 * A refused attempt costs a read of its counters only: {@link #check} runs before the account is read or any hash.
 */
final class LoginThrottle {
    /** How long an address that logged in to an account stays exempt from that account's username-wide block. */
    static final Duration KNOWN_FOR = Duration.ofDays(30);

    private final Clock clock;
    private final FailureCounter failures;
    private final FailureCounter.Policy perPair;
    private final FailureCounter.Policy perAddress;
    private final FailureCounter.Policy perName;
    /** (username, address) pairs with a successful login, remembered for {@link #KNOWN_FOR}. */
    private final FailureCounter known;

    LoginThrottle(DatabaseService db, LoginThrottleSettings settings, Clock clock) {
        this.clock = clock;
        this.failures = new FailureCounter(db, "login:");
        this.known = new FailureCounter(db, "login-known:");
        this.perPair = new FailureCounter.Policy(settings.freeFailures(), settings.firstDelay(), settings.maxDelay(),
                settings.forgetAfter());
        this.perAddress = new FailureCounter.Policy(settings.freeFailuresPerAddress(), settings.firstDelay(),
                settings.maxDelay(), settings.forgetAfter());
        this.perName = new FailureCounter.Policy(settings.freeAddressesPerUsername(), settings.firstDelay(),
                settings.maxDelay(), settings.forgetAfter());
    }

    /**
     * Refuses with {@link ServiceException.TooManyRequests} while this username from this address, the address, or
     * (from an address not known for it) the username is blocked. {@code name} is the case-folded username, null
     * when the username is not a valid one; {@code address} may be null.
     */
    void check(String name, String address) {
        Instant now = clock.instant();
        String addr = addressOf(address);
        Instant until = addr == null ? null : failures.blockedUntil("a:" + addr, now);
        if (name != null) {
            until = later(until, failures.blockedUntil(pairKey(name, addr), now));
            if (!isKnown(name, addr, now)) {
                until = later(until, failures.blockedUntil("n:" + name, now));
            }
        }
        FailureCounter.refuseUntil(until, now, "Too many failed login attempts");
    }

    /**
     * Counts a failed attempt against the pair and the address (those that are given), and a pair's first failure
     * against the username: the username-wide count is one of addresses, so a single address, however patient,
     * can never raise it past one.
     */
    void failed(String name, String address) {
        Instant now = clock.instant();
        String addr = addressOf(address);
        if (addr != null) {
            failures.failed("a:" + addr, perAddress, now);
        }
        if (name != null && failures.failed(pairKey(name, addr), perPair, now) == 1) {
            failures.failed("n:" + name, perName, now);
        }
    }

    /**
     * Forgets the pair's failures and remembers the address as known for the username. The address keeps its
     * count (it decays with time): otherwise one account of the attacker's own would reset the address between
     * guesses at others.
     */
    void succeeded(String name, String address) {
        Instant now = clock.instant();
        String addr = addressOf(address);
        String pair = pairKey(name, addr);
        failures.forget(pair);
        if (addr != null) {
            known.remember(pair, now, now.plus(KNOWN_FOR));
        }
    }

    private boolean isKnown(String name, String addr, Instant now) {
        if (addr == null) {
            return false;
        }
        return known.rememberedAt(pairKey(name, addr), now) != null;
    }

    /** Bounded whatever the name and address: a long key is held as its digest. */
    private static String pairKey(String name, String addr) {
        return FailureCounter.bounded("p:" + name + "\u0000" + (addr == null ? "" : addr));
    }

    private static String addressOf(String address) {
        String key = ClientAddresses.throttleKey(address);
        return key == null ? null : FailureCounter.bounded(key);
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
