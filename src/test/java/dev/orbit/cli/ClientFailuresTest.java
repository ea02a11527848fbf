package dev.orbit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the user sees when the server cannot be reached or the options make no sense: one line, never a trace. */
class ClientFailuresTest {
    @TempDir
    Path home;

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void anUnreachableServerIsOneLineNamingItsUrlForEveryCommand() throws Exception {
        String url = "http://127.0.0.1:" + closedPort();
        Orbit orbit = new Orbit(home, Map.of("ORBIT_SERVER_URL", url));

        for (List<String> args : List.of(List.of("login", "-u", "admin", "-p", "secret-pass"), List.of("me"),
                List.of("user", "list"), List.of("key", "list"), List.of("key", "test", "--key", "orbit_x"),
                List.of("prompt", "list"))) {
            Run run = orbit.run(args.toArray(String[]::new));

            assertThat(run.status()).as(args + ": " + run).isEqualTo(1);
            assertThat(run.err()).as(args.toString())
                    .isEqualTo("orbit: cannot reach the server at " + url + " (connection refused)\n");
            assertThat(run.out()).isEmpty();
        }
    }

    @Test
    void statusOfAnUnreachableServerSaysItIsNotRunning() throws Exception {
        String url = "http://127.0.0.1:" + closedPort();
        Orbit orbit = new Orbit(home, Map.of("ORBIT_HOME", home.toString()));

        Run run = orbit.run("--server-url", url, "status");
        Run json = orbit.run("--server-url", url, "--output", "json", "status");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).contains("Status:  not running: cannot reach the server at " + url + " (connection refused)");
        assertThat(json.json().path("running").asBoolean(true)).isFalse();
    }

    @Test
    void anUnknownHostIsSaidSo() {
        Run run = new Orbit(home, Map.of()).run("--server-url", "http://no-such-host.invalid:3000", "me");

        assertThat(run.err()).isEqualTo("orbit: cannot reach the server at http://no-such-host.invalid:3000 (unknown host)\n");
    }

    @Test
    void aServerUrlThatIsNotAUrlIsExplained() {
        Orbit orbit = new Orbit(home, Map.of("ORBIT_SERVER_URL", "gateway:3000"));

        assertThat(orbit.run("me").err()).isEqualTo("orbit: ORBIT_SERVER_URL: expected a URL like"
                + " http://localhost:3000, got 'gateway:3000'\n");
        assertThat(orbit.run("--server-url", "ftp://x", "me").err()).isEqualTo("orbit: --server-url: expected a URL like"
                + " http://localhost:3000, got 'ftp://x'\n");
    }

    @Test
    void aPortOutOfRangeIsOneLineWhereverTheUrlComesFromAndIsNotStored() {
        Orbit orbit = new Orbit(home, Map.of("ORBIT_SERVER_URL", "http://localhost:0"));

        Run option = orbit.run("--server-url", "http://localhost:99999", "me");
        Run variable = orbit.run("me");
        Run set = orbit.run("config", "set", "server.default_url", "https://localhost:65536/");

        assertThat(option.status()).isEqualTo(1);
        assertThat(option.err()).isEqualTo("orbit: --server-url: expected a URL like http://localhost:3000 with a"
                + " port between 1 and 65535, got 'http://localhost:99999'\n");
        assertThat(variable.err()).isEqualTo("orbit: ORBIT_SERVER_URL: expected a URL like http://localhost:3000 with"
                + " a port between 1 and 65535, got 'http://localhost:0'\n");
        assertThat(set.status()).isEqualTo(1);
        assertThat(set.err()).isEqualTo("orbit: server.default_url: expected a URL like http://localhost:3000 with a"
                + " port between 1 and 65535, got 'https://localhost:65536/'\n");
        assertThat(orbit.orbitDir().resolve("config.json")).doesNotExist();
        assertThat(orbit.run("--server-url", "http://localhost:65535/", "config", "effective").out())
                .contains("http://localhost:65535 ");
    }

    @Test
    void somethingThatIsNotOrbitIsNotMistakenForIt() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            Thread.ofVirtual().start(() -> {
                try (var client = socket.accept()) {
                    client.getInputStream().read(new byte[4096]);
                    client.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 6\r\n"
                            + "Connection: close\r\n\r\n<html>").getBytes());
                } catch (IOException e) {
                    // the test fails on the CLI's side
                }
            });
            String url = "http://127.0.0.1:" + socket.getLocalPort();

            Run run = new Orbit(home, Map.of()).run("--server-url", url, "login", "-u", "a", "-p", "b");

            assertThat(run.err()).isEqualTo("orbit: unexpected reply from " + url + " (HTTP 200, not JSON); is it an"
                    + " ORBIT server?\n");
        }
    }

    @Test
    void anUnknownOutputFormatIsAUsageError() {
        Run run = new Orbit(home, Map.of()).run("--output", "yaml", "config", "show");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("orbit: --output: expected table or json, got 'yaml' (see 'orbit --help')\n");
    }

    @Test
    void colourIsUsedOnlyOnATerminalAndNeverWithNoColorOrNoColorSet() {
        Orbit terminal = new Orbit(home, Map.of()).onATerminal();

        assertThat(terminal.run("config", "set", "server.timeout", "9").out()).contains("\u001b[32m");
        assertThat(terminal.run("--no-color", "config", "set", "server.timeout", "9").out()).doesNotContain("\u001b");
        assertThat(new Orbit(home, Map.of()).run("config", "set", "server.timeout", "9").out()).doesNotContain("\u001b");
        assertThat(new Orbit(home, Map.of("NO_COLOR", "1")).onATerminal().run("config", "set", "server.timeout", "9")
                .out()).doesNotContain("\u001b");
        terminal.run("config", "set", "output.color", "false");
        assertThat(terminal.run("config", "set", "server.timeout", "9").out()).doesNotContain("\u001b");
    }

    @Test
    void anEmptyIdOrKeyIsRefusedBeforeAnythingIsSent() {
        Orbit orbit = new Orbit(home, Map.of("ORBIT_SERVER_URL", "http://127.0.0.1:9"));

        for (List<String> args : List.of(List.of("prompt", "delete", "--id", "", "--force"),
                List.of("prompt", "get", "--id", " "), List.of("user", "delete", "--user-id", "", "--force"),
                List.of("user", "activate", "--username", ""), List.of("key", "status", "--key", ""),
                List.of("key", "delete", "--key", "", "--force"), List.of("key", "rename", "--old-key", "", "--new-key", "x"),
                List.of("prompt", "associate", "--key", "k", "--prompt-id", ""),
                List.of("key", "create", "--adapter", "a", "--name", "n", "--prompt-id", ""))) {
            Run run = orbit.run(args.toArray(String[]::new));

            assertThat(run.status()).as(args + ": " + run).isEqualTo(1);
            assertThat(run.err()).as(args.toString()).containsPattern("^orbit: invalid value for option '--[a-z-]+':"
                    + " must not be empty \\(see '[a-z -]+ --help'\\)\n$");
        }
    }
}
