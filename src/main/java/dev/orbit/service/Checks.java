package dev.orbit.service;

import java.time.Duration;

/** Range checks for settings: the message names the setting, the bound and the value given. */
final class Checks {
    private Checks() {
    }

    static int between(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    static Duration positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
        }
        return value;
    }

    static Duration atMost(String name, Duration value, Duration max) {
        positive(name, value);
        if (value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be at most " + max + ", got " + value);
        }
        return value;
    }
}
