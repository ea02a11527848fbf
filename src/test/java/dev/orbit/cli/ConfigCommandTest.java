package dev.orbit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code orbit config ...} edits ~/.orbit/config.json only; no server is involved. */
class ConfigCommandTest {
    @TempDir
    Path home;

    private Orbit orbit(Map<String, String> env) {
        return new Orbit(home, env);
    }

    private Run run(String... args) {
        return orbit(Map.of()).run(args);
    }

    private Map<String, String> effective(Orbit orbit, String... globalOptions) {
        String[] args = new String[globalOptions.length + 4];
        System.arraycopy(globalOptions, 0, args, 0, globalOptions.length);
        System.arraycopy(new String[] {"--output", "json", "config", "effective"}, 0, args, globalOptions.length, 4);
        Run run = orbit.run(args);
        assertThat(run.status()).as(run.toString()).isZero();
        Map<String, String> values = new HashMap<>();
        for (JsonNode row : run.json()) {
            values.put(row.path("key").asText(), row.path("value").asText() + " from " + row.path("source").asText());
        }
        return values;
    }

    @Test
    void setStoresTheSettingInAFileOnlyTheUserCanRead() throws Exception {
        Run set = run("config", "set", "server.default_url", "http://gateway.example:8080/");

        assertThat(set.status()).as(set.toString()).isZero();
        Path file = home.resolve(".orbit/config.json");
        assertThat(set.out()).isEqualTo("Set server.default_url = http://gateway.example:8080 in " + file + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(run("config", "set", "server.timeout", "5").status()).isZero();
        assertThat(run("config", "show").out()).isEqualTo("""
                server.default_url:  http://gateway.example:8080
                server.timeout:      5
                """);
        assertThat(run("--output", "json", "config", "show").json().path("server").path("timeout").asInt()).isEqualTo(5);
    }

    @Test
    void showWithoutAFileSaysTheDefaultsApply() {
        assertThat(run("config", "show").out()).isEqualTo("No settings in " + home.resolve(".orbit/config.json")
                + "; defaults apply (orbit config effective shows them).\n");
        assertThat(run("--output", "json", "config", "show").out()).isEqualTo("{ }\n");
    }

    @Test
    void unknownKeysAndBadValuesAreRefused() {
        Run unknown = run("config", "set", "server.colour", "red");
        Run badUrl = run("config", "set", "server.default_url", "localhost:3000");
        Run badTimeout = run("config", "set", "server.timeout", "0");
        Run badFormat = run("config", "set", "output.format", "yaml");

        assertThat(unknown.err()).isEqualTo("orbit: unknown setting 'server.colour'; known: server.default_url,"
                + " server.timeout, output.format, output.color\n");
        assertThat(badUrl.err()).isEqualTo("orbit: server.default_url: expected a URL like http://localhost:3000,"
                + " got 'localhost:3000'\n");
        assertThat(badTimeout.err()).isEqualTo("orbit: server.timeout: expected an integer between 1 and 300, got '0'\n");
        assertThat(badFormat.err()).isEqualTo("orbit: output.format: expected table or json, got 'yaml'\n");
        assertThat(home.resolve(".orbit/config.json")).doesNotExist();
    }

    @Test
    void theServerUrlComesFromTheOptionThenTheFileThenTheEnvironmentThenTheDefault() {
        Orbit orbit = orbit(Map.of("ORBIT_SERVER_URL", "http://from-env:3000"));
        Orbit noEnv = orbit(Map.of());

        assertThat(effective(noEnv).get("server.default_url")).isEqualTo("http://localhost:3000 from default");
        assertThat(effective(orbit).get("server.default_url")).isEqualTo("http://from-env:3000 from env ORBIT_SERVER_URL");
        orbit.run("config", "set", "server.default_url", "http://from-file:3000");
        assertThat(effective(orbit).get("server.default_url"))
                .isEqualTo("http://from-file:3000 from " + home.resolve(".orbit/config.json"));
        assertThat(effective(orbit, "--server-url", "http://from-option:3000").get("server.default_url"))
                .isEqualTo("http://from-option:3000 from --server-url");
    }

    @Test
    void effectiveNamesTheSourceOfEverySetting() {
        Orbit orbit = orbit(Map.of());
        orbit.run("config", "set", "server.timeout", "12");

        Map<String, String> values = effective(orbit, "--no-color");

        assertThat(values).containsEntry("server.timeout", "12 from " + home.resolve(".orbit/config.json"))
                .containsEntry("output.format", "json from --output")
                .containsEntry("output.color", "false from --no-color")
                .containsEntry("login", "not logged in from " + home.resolve(".orbit/token.json"));
        assertThat(orbit.run("config", "effective").out()).startsWith("SETTING ").contains("server.timeout      12");
    }

    @Test
    void outputFormatJsonMakesJsonTheDefault() {
        Orbit orbit = orbit(Map.of());
        orbit.run("config", "set", "output.format", "json");

        assertThat(orbit.run("config", "effective").json().isArray()).isTrue();
        assertThat(orbit.run("--output", "table", "config", "effective").out()).startsWith("SETTING ");
    }

    @Test
    void resetDeletesTheFileButKeepsTheLogin() throws Exception {
        run("config", "set", "output.color", "false");
        Files.writeString(home.resolve(".orbit/token.json"), "{}");

        assertThat(run("config", "reset").out()).isEqualTo("Removed " + home.resolve(".orbit/config.json")
                + "; defaults apply.\n");
        assertThat(home.resolve(".orbit/config.json")).doesNotExist();
        assertThat(home.resolve(".orbit/token.json")).exists();
        assertThat(run("config", "reset").out()).isEqualTo("No settings to reset; defaults apply.\n");
    }

    @Test
    void aBrokenSettingsFileIsExplainedInOneLine() throws Exception {
        Files.createDirectories(home.resolve(".orbit"));
        Files.writeString(home.resolve(".orbit/config.json"), "{\"server\": ");

        Run run = run("config", "show");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).startsWith("orbit: " + home.resolve(".orbit/config.json") + ": not valid JSON (")
                .endsWith("); fix it or run orbit config reset\n").hasLineCount(1);
    }
}
