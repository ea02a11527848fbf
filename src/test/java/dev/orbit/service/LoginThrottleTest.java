package dev.orbit.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link LoginThrottle} alone: its memory bound, whatever the input. */
class LoginThrottleTest {
    private final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");

    @Test
    void at_most_max_tracked_entries_are_held_even_when_every_one_is_blocking() {
        LoginThrottle throttle = new LoginThrottle(new LoginThrottleSettings(1, 1, 1, Duration.ofMinutes(5),
                Duration.ofHours(1), Duration.ofHours(1), 100), clock);
        for (int i = 0; i < 10_000; i++) {
            String address = "2001:db8::" + Integer.toHexString(i);
            throttle.failed("user" + i, address);
            throttle.failed("user" + i, address);
            throttle.succeeded("other" + i, address);
        }
        assertThat(throttle.tracked()).isLessThanOrEqualTo(200);
    }

    @Test
    void long_names_and_addresses_are_held_as_fixed_size_digests_and_still_counted() {
        LoginThrottle throttle = new LoginThrottle(LoginThrottleSettings.defaults(), clock);
        String name = "n".repeat(256);
        String address = "a".repeat(100_000);
        for (int i = 0; i < 6; i++) {
            throttle.failed(name, address);
        }
        assertThat(throttle.keyChars()).isLessThan(1_000);
        assertThatThrownBy(() -> throttle.check(name, address)).isInstanceOf(ServiceException.TooManyRequests.class);
    }
}
