package dev.orbit.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.Filters;
import dev.orbit.db.OrbitSchema;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@link LoginThrottle} on the shared counters: one limit for every gateway, and stored keys of bounded size. */
class LoginThrottleTest extends ServiceTestBase {
    @Override
    protected DatabaseService openDatabase(Path dir) {
        return TestDatabases.sqlite(dir);
    }

    @Test
    void failuresOnTwoGatewaysCountAgainstOneLimit() {
        LoginThrottle first = new LoginThrottle(db(), LoginThrottleSettings.defaults(), clock);
        LoginThrottle second = new LoginThrottle(anotherHandle(), LoginThrottleSettings.defaults(), clock);
        for (int i = 0; i < 5; i++) { // 5 free failures per (name, address), spread over both gateways
            (i % 2 == 0 ? first : second).failed("alice", "203.0.113.9");
        }
        assertThatCode(() -> second.check("alice", "203.0.113.9")).doesNotThrowAnyException();

        first.failed("alice", "203.0.113.9");

        assertThatThrownBy(() -> second.check("alice", "203.0.113.9"))
                .isInstanceOf(ServiceException.TooManyRequests.class);
        second.succeeded("alice", "203.0.113.9");
        assertThatCode(() -> first.check("alice", "203.0.113.9")).doesNotThrowAnyException();
    }

    @Test
    void longNamesAndAddressesAreStoredAsFixedSizeDigestsAndStillCounted() {
        LoginThrottle throttle = new LoginThrottle(db(), LoginThrottleSettings.defaults(), clock);
        String name = "n".repeat(256);
        String address = "a".repeat(100_000);
        for (int i = 0; i < 6; i++) {
            throttle.failed(name, address);
        }
        long stored = db().findMany(OrbitSchema.RATE_COUNTERS, Filters.all()).stream()
                .mapToLong(row -> row.getString("counter_key").length() + row.getString("subject").length()).sum();
        assertThat(stored).isLessThan(1_000);
        assertThatThrownBy(() -> throttle.check(name, address)).isInstanceOf(ServiceException.TooManyRequests.class);
    }
}
