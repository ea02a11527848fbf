package dev.orbit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mistyped option or value is one line, {@code orbit: ... (see 'orbit CMD --help')}, with exit status 1, as
 * every other failure; the usage text is printed only when asked for with {@code --help} (exit status 0).
 */
class UsageErrorsTest {
    @TempDir
    Path home;

    private Orbit orbit() {
        // Nothing listens on port 9: a command that got past its parameters would fail differently.
        return new Orbit(home, Map.of("ORBIT_SERVER_URL", "http://127.0.0.1:9", "ORBIT_HOME", home.toString()));
    }

    private record Case(List<String> args, String message) {
        static Case of(String message, String... args) {
            return new Case(List.of(args), message);
        }
    }

    @Test
    void everyParameterErrorIsOneLineWithExitStatusOneAndNoUsageText() {
        List<Case> cases = List.of(
                Case.of("orbit: invalid value for option '--limit': 'abc' is not an int (see 'orbit user list --help')",
                        "user", "list", "--limit", "abc"),
                Case.of("orbit: invalid value for option '--offset': 'x' is not an int (see 'orbit key list --help')",
                        "key", "list", "--offset", "x"),
                Case.of("orbit: invalid value for option '--limit': '1.5' is not an int (see 'orbit prompt list --help')",
                        "prompt", "list", "--limit", "1.5"),
                Case.of("orbit: --port: expected an integer between 0 and 65535, got 99999 (see 'orbit serve --help')",
                        "serve", "--port", "99999"),
                Case.of("orbit: --port: expected an integer between 1 and 65535, got 70000 (see 'orbit start --help')",
                        "start", "--port", "70000"),
                Case.of("orbit: --output: expected table or json, got 'xml' (see 'orbit --help')",
                        "--output", "xml", "config", "show"),
                Case.of("orbit: --batch-size must be between 1 and 10000, got 0 (see 'orbit db migrate --help')",
                        "db", "migrate", "--to", "sqlite:copy.db", "--batch-size", "0"),
                Case.of("orbit: --force and --resume exclude each other: --force empties the target, --resume keeps what"
                        + " it holds (see 'orbit db migrate --help')",
                        "db", "migrate", "--to", "sqlite:copy.db", "--resume", "--force"),
                Case.of("orbit: missing required option: '--to=PATH' (see 'orbit db backup --help')", "db", "backup"),
                Case.of("orbit: missing subcommand: orbit db status, backup or migrate (see 'orbit db --help')", "db"),
                Case.of("orbit: missing required subcommand (see 'orbit --help')"),
                Case.of("orbit: unmatched argument at index 0: 'fly' (see 'orbit --help')", "fly"),
                Case.of("orbit: unknown option: '--bogus' (see 'orbit user list --help')", "user", "list", "--bogus"),
                Case.of("orbit: --timeout: expected at least 1 second, got 0 (see 'orbit stop --help')",
                        "stop", "--timeout", "0"),
                Case.of("orbit: --interval: expected at least 1 second, got 0 (see 'orbit status --help')",
                        "status", "--interval", "0"),
                Case.of("orbit: -r/--role and --roles cannot be used together; give every role with --roles ROLE[,ROLE...]"
                        + " (see 'orbit register --help')", "register", "-u", "x", "-p", "y", "-r", "admin", "--roles", "a"),
                Case.of("orbit: missing required argument (specify one of these): (--file=F | --prompt-text=T) (see 'orbit prompt"
                        + " create --help')", "prompt", "create", "--name", "n"),
                Case.of("orbit: invalid value for option '--id': must not be empty (see 'orbit prompt delete --help')",
                        "prompt", "delete", "--id", "", "--force"),
                Case.of("orbit: --rows must be >= 50 and the other counts >= 1 (see 'orbit bench storage --help')",
                        "bench", "storage", "--rows", "1"));
        for (Case c : cases) {
            Run run = orbit().run(c.args().toArray(String[]::new));

            assertThat(run.err()).as(c.args().toString()).isEqualTo(c.message() + "\n");
            assertThat(run.status()).as(c.args().toString()).isEqualTo(1);
            assertThat(run.out()).as(c.args().toString()).isEmpty();
        }
    }

    @Test
    void helpStillPrintsTheUsageWithExitStatusZero() {
        for (List<String> args : List.of(List.of("--help"), List.of("user", "list", "--help"),
                List.of("db", "migrate", "--help"), List.of("serve", "--help"))) {
            Run run = orbit().run(args.toArray(String[]::new));

            assertThat(run.status()).as(args.toString()).isZero();
            assertThat(run.out()).as(args.toString()).startsWith("Usage: orbit");
            assertThat(run.err()).as(args.toString()).isEmpty();
        }
    }
}
