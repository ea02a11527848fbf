package dev.orbit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.time.Duration;
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
        StringWriter live = new StringWriter();
        Thread watcher = Thread.ofPlatform().start(() -> result.set(orbit.runWritingTo(live, "--output", "json",
                "status", "--watch", "--interval", "2")));

        // Interrupted once it has checked twice, i.e. while it waits for the third check; the deadline only
        // bounds a failure.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (live.toString().lines().count() < 2) {
            assertThat(watcher.isAlive()).as("still watching: " + live).isTrue();
            assertThat(System.nanoTime()).as("two checks in time: " + live).isLessThan(deadline);
            Thread.sleep(20);
        }
        watcher.interrupt();
        watcher.join(Duration.ofSeconds(60));

        assertThat(watcher.isAlive()).as("stopped when interrupted").isFalse();
        Run run = result.get();
        assertThat(run.status()).as(run.toString()).isZero();
        assertThat(run.out().lines().count()).isGreaterThanOrEqualTo(2);
        ObjectMapper json = new ObjectMapper();
        for (String line : run.out().lines().toList()) {
            assertThat(json.readTree(line).path("server_url").asText()).isEqualTo(gateway.url());
            assertThat(json.readTree(line).path("running").asBoolean()).as(line).isTrue();
        }
    }
}
