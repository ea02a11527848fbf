package dev.orbit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.config.ConfigLoader;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code orbit start}, {@code status}, {@code restart} and {@code stop} with a real background server: a JVM of
 * its own running {@code orbit serve} from this build's classes, in a temporary ORBIT_HOME on a free port. Such
 * servers take seconds to start, so two tests start them; the rest fail before anything is launched.
 */
class ServerControlTest {
    @TempDir
    Path orbitHome;

    private int port;
    private Orbit orbit;

    /**
     * A port nothing listens on now. {@code orbit start} needs a fixed port, so it cannot be 0; should another
     * program take the port meanwhile, {@code start} refuses it or our server fails to bind and exits: the tests
     * then fail loudly, since they check that the launched pid is alive and is the one status reports.
     */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void setUp(String extraYaml) throws IOException {
        port = freePort();
        Files.createDirectories(orbitHome.resolve("config"));
        Files.writeString(orbitHome.resolve("config/config.yaml"), """
                general: {host: 127.0.0.1, port: %d}
                internal_services: {backend: {type: sqlite, sqlite: {database_path: orbit.db}}}
                auth: {pbkdf2_iterations: 1000}
                adapters:
                  - {name: simple-chat, inference_provider: mock, model: mock-model}
                %s
                """.formatted(port, extraYaml));
        orbit = new Orbit(orbitHome.resolve("home"), Map.of("ORBIT_HOME", orbitHome.toString(),
                "ORBIT_SERVER_URL", url()));
    }

    private String url() {
        return "http://127.0.0.1:" + port;
    }

    private Path pidFile() {
        return orbitHome.resolve("logs/orbit.pid");
    }

    private Optional<ProcessHandle> server() throws IOException {
        return Files.exists(pidFile()) ? ProcessHandle.of(Long.parseLong(Files.readString(pidFile()).strip()))
                : Optional.empty();
    }

    @AfterEach
    void killLeftovers() throws IOException {
        if (orbit != null) {
            server().ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private Run ok(String... args) {
        Run run = orbit.run(args);
        assertThat(run.status()).as(run.toString()).isZero();
        return run;
    }

    @Test
    void startStatusRestartAndStopWithAndWithoutALogin() throws Exception {
        setUp("logging: {level: info}"); // the test classpath's logback-test.xml logs warnings only

        Run start = ok("start");

        assertThat(start.out()).startsWith("ORBIT is running at " + url() + " (pid ");
        assertThat(start.err()).startsWith("Starting ORBIT (pid ").endsWith(" ready\n");
        Matcher generated = Pattern.compile("Admin password: +generated at this first start: (\\S+)").matcher(start.out());
        assertThat(generated.find()).as(start.out()).isTrue();
        ProcessHandle first = server().orElseThrow();
        assertThat(first.isAlive()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(orbitHome.resolve("logs/orbit.log"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(orbitHome.resolve("logs/orbit.out"))))
                .isEqualTo("rw-------");
        // The server logs to the rolling file; the password it printed stays in its console output, out of the log
        // that /admin/logs/tail shows.
        assertThat(Files.readString(orbitHome.resolve("logs/orbit.log"))).contains("ORBIT listening on")
                .doesNotContain(generated.group(1));
        assertThat(Files.readString(orbitHome.resolve("logs/orbit.out"))).contains(generated.group(1))
                .doesNotContain("ORBIT listening on");

        Run again = orbit.run("start");
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("orbit: ORBIT is already running (pid " + first.pid() + ", " + pidFile()
                + "); orbit stop stops it, orbit restart restarts it\n");
        assertThat(ok("status").out()).containsPattern("Status: +running\n")
                .containsPattern("Pid: +" + first.pid());

        ok("login", "-u", "admin", "-p", generated.group(1));
        assertThat(ok("--output", "json", "status").json().path("version").asText()).isEqualTo("dev");

        Run restart = ok("restart");
        assertThat(restart.out()).startsWith("ORBIT stopped.\nORBIT is running at " + url())
                .contains("Admin password:  unchanged: the admin account already existed");
        assertThat(restart.err()).contains("Stopping ORBIT (SIGTERM sent to pid " + first.pid() + ")");
        assertThat(first.isAlive()).isFalse();
        ProcessHandle second = server().orElseThrow();

        ok("logout");
        Run stop = ok("stop");
        assertThat(stop.out()).isEqualTo("ORBIT stopped.\n");
        assertThat(stop.err()).startsWith("Stopping ORBIT (SIGTERM sent to pid " + second.pid() + ")");
        assertThat(second.isAlive()).isFalse();
        assertThat(pidFile()).doesNotExist();
        Run status = orbit.run("status");
        assertThat(status.status()).isEqualTo(1);
        assertThat(status.out()).contains("not running: cannot reach the server at " + url());
        assertThat(ok("stop").out()).isEqualTo("ORBIT is not running.\n");
    }

    @Test
    void stopAndStatusActOnlyOnTheServerStartLaunchedAndRestartRemembersItsOptions() throws Exception {
        setUp("");
        try (TestGateway unrelated = TestGateway.start(CliBackend.SQLITE, Files.createDirectories(orbitHome.resolve("b")),
                null)) {
            // Probed after the unrelated gateway took its port (0: any), so the two cannot be the same port.
            int otherPort = freePort();
            String ownUrl = "http://127.0.0.1:" + otherPort;
            ok("start", "--port", String.valueOf(otherPort), "--db", "sqlite:data/other.db");
            ProcessHandle first = server().orElseThrow();
            assertThat(first.info().arguments().map(List::of).orElse(List.of())).doesNotContain("--db")
                    .noneMatch(argument -> argument.contains("other.db"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(orbitHome.resolve(
                    "logs/orbit.start.json")))).isEqualTo("rw-------");

            // status checks the server start launched, at the port it was given, and shows its pid
            assertThat(ok("status").out()).contains("Server:  " + ownUrl + "\nStatus:  running\nPid:     "
                    + first.pid() + "\n");
            // another server: no pid of ours beside it
            assertThat(ok("--server-url", unrelated.url(), "status").out()).isEqualTo("Server:  " + unrelated.url()
                    + "\nStatus:  running\nPid:     -\n");

            Run restart = ok("restart");
            assertThat(restart.out()).contains("ORBIT is running at " + ownUrl);
            ProcessHandle second = server().orElseThrow();
            assertThat(first.isAlive()).isFalse();
            assertThat(orbitHome.resolve("data/other.db")).exists();
            assertThat(orbitHome.resolve("orbit.db")).as("the configured database, which --db replaced").doesNotExist();

            // logged in as an admin elsewhere, stop still stops only the local server
            ok("--server-url", unrelated.url(), "login", "-u", "admin", "-p", TestGateway.ADMIN_PASSWORD);
            Run stop = ok("--server-url", unrelated.url(), "stop", "--timeout", "20");
            assertThat(stop.err()).startsWith("Stopping ORBIT (SIGTERM sent to pid " + second.pid() + ")");
            assertThat(second.isAlive()).isFalse();
            assertThat(ok("--server-url", unrelated.url(), "status").out()).containsPattern("Status: +running");
        }
    }

    @Test
    void restartDoesNotGuessADatabasePasswordItDidNotKeep() throws Exception {
        setUp("");
        Files.createDirectories(orbitHome.resolve("logs"));
        Files.writeString(orbitHome.resolve("logs/orbit.start.json"), """
                {"pid": 1, "url": "%s", "config": null, "host": null, "port": null,
                 "db": "mongodb://orbit:****@db.example/orbit", "db_password_withheld": true}
                """.formatted(url()));

        Run run = orbit.run("restart");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("orbit: ORBIT was started with --db mongodb://orbit:****@db.example/orbit,"
                + " whose password is not kept: pass --db again to restart it\n");
    }

    @Test
    void theRememberedDatabaseUrlNeverHoldsItsPassword() throws Exception {
        ServerFiles files = new ServerFiles(orbitHome);
        files.writeLaunch(LaunchRecord.of(42, null, "http://127.0.0.1:3000", orbitHome.resolve("c.yaml"),
                new ServerControl.StartRequest(null, null, 3000, "mongodb://orbit:S3cret-pw@db.example/orbit", null)));

        assertThat(Files.readString(files.launchFile())).doesNotContain("S3cret-pw").contains("****");
        assertThat(files.launch().orElseThrow().databasePasswordWithheld()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.launchFile())))
                .isEqualTo("rw-------");
    }

    @Test
    void theLaunchedProcessIsRecognisedByItsStartTicksAfterAClockJumpAndAReusedPidIsNot() {
        ServerFiles files = new ServerFiles(orbitHome);
        ProcessHandle self = ProcessHandle.current();
        long ticks = ProcessStarts.ticks(self.pid()).orElseThrow();
        java.time.Instant started = self.info().startInstant().orElseThrow();
        ServerControl.StartRequest request = new ServerControl.StartRequest(null, null, 3000, null, null);
        LaunchRecord launched = LaunchRecord.of(self.pid(), started, "http://127.0.0.1:3000", null, request);
        assertThat(launched.startTicks()).isEqualTo(ticks);

        // The wall clock was set back an hour since start: the derived start instant no longer matches.
        files.writeLaunch(new LaunchRecord(self.pid(), started.plusSeconds(3600), ticks, launched.url(), null, null,
                3000, null, false));
        assertThat(files.startedWhenRecorded(self)).isTrue();

        // Another process that got the same pid started at another tick, whatever the clock says.
        files.writeLaunch(new LaunchRecord(self.pid(), started, ticks - 1, launched.url(), null, null, 3000, null,
                false));
        assertThat(files.startedWhenRecorded(self)).isFalse();
    }

    @Test
    void aServerThatStopsDuringStartUpIsReportedWithTheEndOfItsLog() throws Exception {
        setUp("");
        Files.writeString(orbitHome.resolve("orbit.db"), "this is not a SQLite database, it is a text file.........");

        Run run = orbit.run("start");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains(" failed\norbit: ORBIT stopped during start-up (exit status 1); the end of "
                + orbitHome.resolve("logs/orbit.out") + ":\n  orbit: cannot open the database (sqlite "
                + orbitHome.resolve("orbit.db") + ")");
        assertThat(pidFile()).doesNotExist();
    }

    @Test
    void startRefusesAPortThatIsAlreadyServed() throws Exception {
        setUp("");
        try (ServerSocket taken = new ServerSocket(0)) {
            Run run = orbit.run("start", "--port", String.valueOf(taken.getLocalPort()));

            assertThat(run.status()).isEqualTo(1);
            assertThat(run.err()).isEqualTo("orbit: port " + taken.getLocalPort() + " is already in use (something"
                    + " answers at http://127.0.0.1:" + taken.getLocalPort() + "); stop it or choose another port with --port\n");
        }
        assertThat(pidFile()).doesNotExist();
    }

    @Test
    void startNeedsAFixedPortAndAValidConfiguration() throws Exception {
        setUp("");
        Path anyPort = Files.writeString(orbitHome.resolve("any-port.yaml"), "general: {port: 0}");
        Path broken = Files.writeString(orbitHome.resolve("broken.yaml"), "general: {port: abc}");

        assertThat(orbit.run("--config", anyPort.toString(), "start").err()).isEqualTo("orbit: orbit start needs a fixed"
                + " port to find the server at; set general.port or pass --port\n");
        assertThat(orbit.run("start", "--config", broken.toString()).err()).isEqualTo("orbit: " + broken
                + ": general.port: expected an integer between 0 and 65535, got 'abc'\n");
        assertThat(orbit.run("start", "--port", "0").status()).isEqualTo(1);
        var badDb = orbit.run("start", "--db", "mysql://somewhere");
        assertThat(badDb.status()).isEqualTo(1);
        assertThat(badDb.err()).startsWith("orbit: ").contains("mysql");
        assertThat(pidFile()).doesNotExist();
    }

    @Test
    void stopWithNothingRunningRemovesAStalePidFile() throws Exception {
        setUp("");
        Files.createDirectories(pidFile().getParent());
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        Files.writeString(pidFile(), finished.pid() + "\n");

        assertThat(ok("stop").out()).isEqualTo("ORBIT is not running.\n");

        assertThat(pidFile()).doesNotExist();
    }

    @Test
    void theAdminPasswordSourceIsNamed() {
        Path file = orbitHome.resolve("config.yaml");
        Path log = orbitHome.resolve("logs/orbit.log");
        var none = ConfigLoader.parse("general: {port: 1}", "c.yaml", Map.of());
        var fromEnv = ConfigLoader.parse("auth: {default_admin_password: '${ORBIT_DEFAULT_ADMIN_PASSWORD}'}", "c.yaml",
                Map.of("ORBIT_DEFAULT_ADMIN_PASSWORD", "env-Secret-1"));
        var fromFile = ConfigLoader.parse("auth: {default_admin_password: file-Secret-1}", "c.yaml", Map.of());
        List<String> firstStart = List.of("Created the default admin account. Its generated password (shown only"
                + " now): Abc123xyz456", "Set ORBIT_DEFAULT_ADMIN_PASSWORD to choose it instead");

        assertThat(ServerControl.adminPassword(none, file, Map.of(), log, firstStart).generated()).isEqualTo("Abc123xyz456");
        assertThat(ServerControl.adminPassword(fromEnv, file, Map.of("ORBIT_DEFAULT_ADMIN_PASSWORD", "env-Secret-1"), log,
                List.of()).description()).startsWith("from ORBIT_DEFAULT_ADMIN_PASSWORD");
        assertThat(ServerControl.adminPassword(fromFile, file, Map.of(), log, List.of()).description())
                .startsWith("from auth.default_admin_password in " + file);
        assertThat(ServerControl.adminPassword(none, file, Map.of(), log, List.of()).source()).isEqualTo("existing");
    }
}
