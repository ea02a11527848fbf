package dev.orbit.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory login throttling per username and per client address (see {@link LoginThrottleSettings}).
 * A refused attempt does no work at all: {@link #check} runs before any database read or hash.
 */
final class LoginThrottle {
    private record State(int failures, Instant lastFailure, Instant blockedUntil) {
    }

    private final LoginThrottleSettings settings;
    private final Clock clock;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    LoginThrottle(LoginThrottleSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Refuses with {@link ServiceException.TooManyRequests} while the username or the address is blocked. */
    void check(String username, String address) {
        Instant now = clock.instant();
        Instant until = later(blockedUntil(userKey(username), now), blockedUntil(addressKey(address), now));
        if (until != null) {
            Duration wait = Duration.between(now, until);
            throw new ServiceException.TooManyRequests("Too many failed login attempts; try again in "
                    + Math.max(1, (wait.toMillis() + 999) / 1000) + " seconds", wait);
        }
    }

    /** Counts a failed attempt against the username and the address. */
    void failed(String username, String address) {
        Instant now = clock.instant();
        String user = userKey(username);
        if (user != null) {
            record(user, settings.freeFailures(), now);
        }
        String addr = addressKey(address);
        if (addr != null) {
            record(addr, settings.freeFailuresPerAddress(), now);
        }
    }

    /**
     * Forgets the username's failures. The address keeps its count (it decays with time): otherwise one
     * account of the attacker's own would reset the address between guesses at others.
     */
    void succeeded(String username) {
        states.remove(userKey(username));
    }

    private Instant blockedUntil(String key, Instant now) {
        if (key == null) {
            return null;
        }
        State state = states.get(key);
        return state != null && state.blockedUntil != null && state.blockedUntil.isAfter(now) ? state.blockedUntil : null;
    }

    private void record(String key, int free, Instant now) {
        if (!states.containsKey(key) && states.size() >= settings.maxTracked()) {
            prune(now);
        }
        states.compute(key, (k, old) -> {
            int failures = old == null || forgotten(old, now) ? 1 : old.failures + 1;
            Instant blockedUntil = null;
            if (failures > free) {
                blockedUntil = now.plus(delay(failures - free));
            }
            return new State(failures, now, blockedUntil);
        });
    }

    /** {@code firstDelay * 2^(excess-1)}, capped at {@code maxDelay}. */
    private Duration delay(int excess) {
        Duration delay = settings.firstDelay();
        for (int i = 1; i < excess && delay.compareTo(settings.maxDelay()) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(settings.maxDelay()) > 0 ? settings.maxDelay() : delay;
    }

    private boolean forgotten(State state, Instant now) {
        Instant end = state.blockedUntil != null && state.blockedUntil.isAfter(state.lastFailure) ? state.blockedUntil
                : state.lastFailure;
        return !end.plus(settings.forgetAfter()).isAfter(now);
    }

    /** Drops forgotten entries, then (if still full) every entry that does not block anyone right now. */
    private void prune(Instant now) {
        states.entrySet().removeIf(e -> forgotten(e.getValue(), now));
        if (states.size() >= settings.maxTracked()) {
            states.entrySet().removeIf(e -> e.getValue().blockedUntil == null || !e.getValue().blockedUntil.isAfter(now));
        }
    }

    private static String userKey(String username) {
        return username == null ? null : "user:" + username.toLowerCase(Locale.ROOT);
    }

    private static String addressKey(String address) {
        return address == null || address.isBlank() ? null : "addr:" + address.strip();
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
