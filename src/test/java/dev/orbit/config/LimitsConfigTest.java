package dev.orbit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitsConfigTest {
    private static LimitsConfig read(String yaml) {
        return LimitsConfig.read(ConfigLoader.parse(yaml, "config.yaml", Map.of()).raw());
    }

    @Test
    void theShippedConfigurationHasBothOffWithTheReferenceDefaults() throws Exception {
        String shipped = Files.readString(Path.of("config/config.yaml"));
        LimitsConfig off = LimitsConfig.read(ConfigLoader.parse(shipped, "config.yaml", Map.of()).raw());
        LimitsConfig on = LimitsConfig.read(ConfigLoader.parse(shipped, "config.yaml", Map.of(
                "ORBIT_THROTTLING_ENABLED", "true", "ORBIT_RATE_LIMITING_ENABLED", "true",
                "ORBIT_QUOTA_MONTHLY_LIMIT", "0", "ORBIT_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.1")).raw());

        assertThat(off.throttling().enabled()).isFalse();
        assertThat(off.rateLimiting().enabled()).isFalse();
        assertThat(off.trustedProxies().isEmpty()).isTrue();
        assertThat(on.throttling().enabled()).isTrue();
        assertThat(on.throttling().defaultDailyLimit()).isEqualTo(10_000);
        assertThat(on.throttling().defaultMonthlyLimit()).as("0: unlimited").isNull();
        assertThat(on.throttling().priorityMultipliers()).isEqualTo(Map.of(1, 0.5, 5, 1.0, 10, 2.0));
        assertThat(on.rateLimiting().keyPerMinute()).isEqualTo(120);
        assertThat(on.rateLimiting().ipPerHour()).isEqualTo(1000);
        assertThat(on.trustedProxies().clientAddress("10.0.0.1", java.util.List.of("203.0.113.1")))
                .isEqualTo("203.0.113.1");
    }

    @Test
    void defaultBudgetsAreUnlimitedUnlessSetAndZeroMeansUnlimited() {
        assertThat(read("security: {throttling: {enabled: true}}").throttling().defaultBudgets())
                .isEqualTo(LimitsConfig.Budgets.NONE);
        LimitsConfig.Budgets set = read("security: {throttling: {default_quotas: {daily_token_limit: 5000,"
                + " monthly_token_limit: 0, monthly_cost_limit: 12.5}}}").throttling().defaultBudgets();
        assertThat(set).isEqualTo(new LimitsConfig.Budgets(5000L, null, 12.5));
        assertThatThrownBy(() -> read("security: {throttling: {default_quotas: {monthly_cost_limit: -1}}}"))
                .hasMessage("config.yaml: security.throttling.default_quotas.monthly_cost_limit: expected an amount of"
                        + " US dollars >= 0 (0: unlimited), got '-1'");
        assertThatThrownBy(() -> read("security: {throttling: {default_quotas: {monthly_cost_limit: lots}}}"))
                .hasMessageContaining("monthly_cost_limit");
        assertThatThrownBy(() -> read("security: {throttling: {default_quotas: {daily_token_limit: 1.5}}}"))
                .hasMessageContaining("daily_token_limit");
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> read("security: {rate_limiting: {trust_proxy_headers: true}}"))
                .hasMessageStartingWith("config.yaml: security.rate_limiting.trusted_proxies: trust_proxy_headers"
                        + " needs the proxies' addresses");
        assertThatThrownBy(() -> read("security: {rate_limiting: {trusted_proxies: [proxy.example.com]}}"))
                .hasMessage("config.yaml: security.rate_limiting.trusted_proxies: not an IP address or CIDR:"
                        + " 'proxy.example.com'");
        assertThatThrownBy(() -> read("security: {throttling: {default_quotas: {daily_limit: -1}}}"))
                .hasMessageContaining("security.throttling.default_quotas.daily_limit");
        assertThatThrownBy(() -> read("security: {throttling: {delay: {min_ms: 500, max_ms: 100}}}"))
                .hasMessageContaining("security.throttling.delay.max_ms: must not be below min_ms (500)");
        assertThatThrownBy(() -> read("security: {throttling: {delay: {curve: cubic}}}"))
                .hasMessageContaining("expected one of exponential, linear");
        assertThatThrownBy(() -> read("security: {throttling: {priority_multipliers: {11: 1}}}"))
                .hasMessageContaining("expected a priority from 1 to 10");
    }
}
