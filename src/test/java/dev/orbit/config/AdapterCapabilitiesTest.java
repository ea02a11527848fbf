package dev.orbit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdapterCapabilitiesTest {
    private static Map<String, AdapterCapabilities> read(String yaml) {
        return AdapterCapabilities.readAll(ConfigLoader.parse(yaml, "config.yaml", Map.of()).raw());
    }

    @Test
    void flagsAndModelsAreReadPerAdapterAndDefaultToNone() {
        Map<String, AdapterCapabilities> all = read("""
                adapters:
                  - {name: a, model: m, capabilities: {supports_threading: true, supports_realtime_audio: true},
                     allowed_models: [m, 'n:7b', m]}
                  - {name: b, model: m}
                """);

        assertThat(all.get("a")).isEqualTo(new AdapterCapabilities(false, true, true, List.of("m", "n:7b")));
        assertThat(all.get("b")).isEqualTo(AdapterCapabilities.NONE);
    }

    @Test
    void aFlagThatIsNotABooleanStopsStartUpNamingIt() {
        assertThatThrownBy(() -> read("adapters: [{name: a, model: m, capabilities: {supports_file_ids: maybe}}]"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("adapters[0].capabilities.supports_file_ids");
        assertThatThrownBy(() -> read("adapters: [{name: a, model: m, capabilities: [1]}]"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("capabilities");
    }
}
