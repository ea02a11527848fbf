package dev.orbit.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Login throttling in this process's memory (each gateway process counts on its own; see
 * {@link LoginThrottleSettings} for the policy). Failures are counted per (username, address) and per address, and
 * the addresses failing on a username are counted per username; usernames are compared case-folded
 * ({@link AccountRules#usernameKey}), as accounts are. The username-wide block applies only to addresses that have
 * not logged in to that account before, so that guessing at a name cannot keep its owner out where they log in.
 * A refused attempt does no work at all: {@link #check} runs before any database read or hash.
 */
final class LoginThrottle {
    /** How long an address that logged in to an account stays exempt from that account's username-wide block. */
    static final Duration KNOWN_FOR = Duration.ofDays(30);

    private final LoginThrottleSettings settings;
    private final Clock clock;
    private final FailureCounter failures;
    private final FailureCounter.Policy perPair;
    private final FailureCounter.Policy perAddress;
    private final FailureCounter.Policy perName;
    /** (username, address) pairs with a successful login, and when; bounded like the failure counts. */
    private final Map<String, Instant> known = new ConcurrentHashMap<>();

    LoginThrottle(LoginThrottleSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.failures = new FailureCounter(settings.maxTracked());
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
            if (!known.containsKey(pair) && known.size() >= settings.maxTracked()) {
                makeRoomInKnown(now);
            }
            known.put(pair, now);
        }
    }

    /** Held throttle state, for tests of the memory bound. */
    int tracked() {
        return failures.size() + known.size();
    }

    long keyChars() {
        return failures.keyChars() + known.keySet().stream().mapToLong(String::length).sum();
    }

    private boolean isKnown(String name, String addr, Instant now) {
        if (addr == null) {
            return false;
        }
        Instant last = known.get(pairKey(name, addr));
        return last != null && last.plus(KNOWN_FOR).isAfter(now);
    }

    private synchronized void makeRoomInKnown(Instant now) {
        if (known.size() >= settings.maxTracked()) {
            FailureCounter.trim(known, settings.maxTracked(), last -> !last.plus(KNOWN_FOR).isAfter(now));
        }
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
