package dev.orbit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpConfigTest {
    private static HttpConfig http(String yaml, Map<String, String> env) {
        return ConfigLoader.parse(yaml, "config.yaml", env).http();
    }

    private static HttpConfig http(String yaml) {
        return http(yaml, Map.of());
    }

    @Test
    void corsIsOffByDefault() {
        assertThat(http("").corsAllowedOrigins()).isEmpty();
        assertThat(http("http: {cors: {allowed_origins: []}}").corsAllowedOrigins()).isEmpty();
    }

    @Test
    void allowedOriginsAreAListOfOrigins() {
        HttpConfig config = http("http: {cors: {allowed_origins: ['https://app.example.com', 'http://localhost:5173']}}");

        assertThat(config.corsAllowedOrigins()).containsExactly("https://app.example.com", "http://localhost:5173");
    }

    @Test
    void oneVariableCanFillTheListWithCommaSeparatedOrigins() {
        HttpConfig config = http("http: {cors: {allowed_origins: '${ORIGINS}'}}",
                Map.of("ORIGINS", " https://a.example , https://b.example,"));

        assertThat(config.corsAllowedOrigins()).containsExactly("https://a.example", "https://b.example");
        assertThat(http("http: {cors: {allowed_origins: '${UNSET}'}}").corsAllowedOrigins()).isEmpty();
    }

    @Test
    void aStarAllowsEveryOrigin() {
        assertThat(http("http: {cors: {allowed_origins: ['*']}}").corsAllowedOrigins()).containsExactly("*");
    }

    @Test
    void anOriginWithAPathIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> http("http: {cors: {allowed_origins: ['https://app.example.com/chat']}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.yaml: http.cors.allowed_origins: expected origins like https://app.example.com"
                        + " (scheme and host, no path) or *, got 'https://app.example.com/chat'");
    }

    @Test
    void aMappingInTheListIsRefusedNamingTheItem() {
        assertThatThrownBy(() -> http("http: {cors: {allowed_origins: [{a: 1}]}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.yaml: http.cors.allowed_origins[0]: expected a string, got a mapping");
    }
}
