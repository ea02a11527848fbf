package dev.orbit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@code orbit status} of a server it did not start (no pid file): what it can tell over HTTP. */
class StatusCommandTest extends CliTestBase {
    @Test
    void statusSaysTheServerRunsAndWithALoginItsVersionAndPid() {
        Run anonymous = ok("status");
        assertThat(anonymous.out()).isEqualTo("Server:  " + gateway.url() + "\nStatus:  running\nPid:     -\n");

        loginAsAdmin();
        JsonNode json = ok("--output", "json", "status").json();

        assertThat(json.path("running").asBoolean()).isTrue();
        assertThat(json.path("server_pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(json.path("version").asText()).isEqualTo("dev");
        assertThat(json.path("pid").isNull()).isTrue();
    }

    @Test
    void watchChecksAgainUntilInterrupted() throws Exception {
        AtomicReference<Run> result = new AtomicReference<>();
        Thread watcher = Thread.ofPlatform().start(() -> result.set(orbit.run("--output", "json", "status", "--watch",
                "--interval", "1")));

        Thread.sleep(1_500);
        watcher.interrupt();
        watcher.join(10_000);

        Run run = result.get();
        assertThat(run.status()).as(run.toString()).isZero();
        assertThat(run.out().lines().count()).isGreaterThanOrEqualTo(2);
        run.out().lines().forEach(line -> {
            try {
                assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line).path("server_url").asText())
                        .isEqualTo(gateway.url());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
