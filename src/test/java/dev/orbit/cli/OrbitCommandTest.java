package dev.orbit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.Gateway;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class OrbitCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine orbit = OrbitCommand.commandLine(Map.of(), Gateway::openDatabase)
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err));
        return orbit.execute(args);
    }

    @Test
    void versionPrintsTheVersionAndSucceeds() {
        assertThat(run("--version")).isZero();
        // Run from classes there is no jar manifest; the packaged jar prints the project version.
        assertThat(out).hasToString("orbit dev\n");
    }

    @Test
    void versionWorksAfterASubcommandToo() {
        assertThat(run("key", "list", "-V")).isZero();
        assertThat(out).hasToString("orbit dev\n");
    }

    @Test
    void helpListsServe() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("serve").contains("--version");
    }

    @Test
    void noSubcommandIsAUsageError() {
        assertThat(run()).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("orbit: missing required subcommand (see 'orbit --help')\n");
    }

    @Test
    void anUnknownSubcommandIsAUsageError() {
        assertThat(run("fly")).isEqualTo(1);
        assertThat(err.toString()).contains("unmatched argument at index 0: 'fly'");
    }

    @Test
    void theHomeDirectoryIsHomeWhenSetElseUserHome() {
        assertThat(CliEnvironment.system(Map.of("HOME", "/tmp/x")).userHome()).isEqualTo(java.nio.file.Path.of("/tmp/x"));
        assertThat(CliEnvironment.system(Map.of("HOME", "")).userHome())
                .isEqualTo(java.nio.file.Path.of(System.getProperty("user.home")));
        assertThat(CliEnvironment.system(Map.of()).userHome()).isEqualTo(java.nio.file.Path.of(System.getProperty("user.home")));
    }

    @Test
    void rolesAreShownAsAListOfRolesInHelp() {
        assertThat(run("register", "--help")).isZero();
        assertThat(run("user", "set-roles", "--help")).isZero();

        assertThat(out.toString()).contains("--roles=ROLE[,ROLE...]").doesNotContain("ROLE[,ROLE...][,")
                .contains("-r, --role=ROLE");
    }
}
