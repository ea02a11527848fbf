package dev.orbit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code orbit pause}, {@code orbit resume} and {@code orbit admin reload-adapters} against a running gateway. */
class AdminCommandsTest extends CliTestBase {
    @Test
    void pauseShowsInStatusUntilResume() {
        loginAsAdmin();
        assertThat(ok("pause").out()).isEqualTo("Server paused\n");
        assertThat(ok("status").out()).contains("Status:   paused\n");
        assertThat(ok("--output", "json", "status").json().path("state").asText()).isEqualTo("paused");

        assertThat(ok("--output", "json", "resume").json().path("message").asText()).isEqualTo("Server resumed");
        assertThat(ok("status").out()).contains("Status:   running\n");
    }

    @Test
    void reloadAdaptersPrintsWhatChanged() {
        loginAsAdmin();
        Run run = ok("admin", "reload-adapters");
        assertThat(run.out()).startsWith("Adapters reloaded: 0 added, 0 removed, 0 updated, ");
        assertThat(run.out()).contains("unchanged:");
        assertThat(ok("--output", "json", "admin", "reload-adapters").json().path("status").asText())
                .isEqualTo("success");
    }

    @Test
    void withoutThePermissionTheCommandsSaySo() {
        loginAsNew("ann", "analyst");
        fails("permission denied: Missing required permission(s): system.manage", "pause");
        fails("permission denied: Missing required permission(s): system.manage", "resume");
        fails("permission denied: Missing required permission(s): adapters.manage", "admin", "reload-adapters");
    }
}
