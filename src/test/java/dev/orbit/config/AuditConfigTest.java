package dev.orbit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditConfigTest {
    private static AuditConfig read(String yaml) {
        return AuditConfig.read(ConfigLoader.parse(yaml, "config.yaml", Map.of()).raw());
    }

    @Test
    void theShippedConfigurationKeepsTheAuditOffAndContentOutAndOnlyTheVariableTurnsItOn() throws Exception {
        String shipped = Files.readString(Path.of("config/config.yaml"));
        AuditConfig off = AuditConfig.read(ConfigLoader.parse(shipped, "config.yaml", Map.of()).raw());
        AuditConfig on = AuditConfig.read(ConfigLoader.parse(shipped, "config.yaml",
                Map.of("ORBIT_AUDIT_ENABLED", "true")).raw());

        assertThat(off.enabled()).isFalse();
        assertThat(off.adminEvents()).isFalse();
        assertThat(on.enabled()).isTrue();
        assertThat(on.adminEvents()).isTrue();
        assertThat(on.storeContent()).isFalse();
        assertThat(on.retentionDays()).isEqualTo(90);
        assertThat(on.usageRetentionDays()).isEqualTo(400);
        assertThat(on.prices()).isEmpty();
        assertThat(on.pricesUpdated()).isNull();
    }

    @Test
    void pricesAreReadPerModelAndABadOneNamesItsKey() {
        AuditConfig config = read("usage: {pricing: {gpt-x: {input_per_1m: 0.15, output_per_1m: '0.6'}}}");
        assertThat(config.prices()).containsEntry("gpt-x", new AuditConfig.ModelPrice(0.15, 0.6));

        assertThatThrownBy(() -> read("usage: {pricing: {gpt-x: {input_per_1m: cheap, output_per_1m: 1}}}"))
                .hasMessage("config.yaml: usage.pricing.gpt-x.input_per_1m: expected a number of US dollars >= 0,"
                        + " got 'cheap'");
        assertThatThrownBy(() -> read("usage: {pricing: {gpt-x: {input_per_1m: 1}}}"))
                .hasMessage("config.yaml: usage.pricing.gpt-x.output_per_1m: required but missing");
        assertThatThrownBy(() -> read("internal_services: {audit: {retention_days: -1}}"))
                .hasMessageStartingWith("config.yaml: internal_services.audit.retention_days: expected an integer");
        assertThat(read("usage: {pricing_updated: '2026-11-30'}").pricesUpdated())
                .isEqualTo(java.time.LocalDate.parse("2026-11-30"));
        assertThatThrownBy(() -> read("usage: {pricing_updated: last week}"))
                .hasMessage("config.yaml: usage.pricing_updated: expected a date such as 2026-11-30, got 'last week'");
        assertThatThrownBy(() -> read("internal_services: {audit: {storage_backend: redis}}"))
                .hasMessageStartingWith("config.yaml: internal_services.audit.storage_backend: only \"database\"");
    }

    @Test
    void aBadAuditValueStopsTheConfigurationFromLoading() {
        assertThatThrownBy(() -> ConfigLoader.parse("internal_services: {audit: {enabled: maybe}}", "config.yaml",
                Map.of())).hasMessage("config.yaml: internal_services.audit.enabled: expected true or false, got 'maybe'");
    }
}
