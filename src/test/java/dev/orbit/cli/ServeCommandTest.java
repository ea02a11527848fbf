package dev.orbit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.Gateway;
import dev.orbit.config.OrbitConfig;
import dev.orbit.db.DatabaseConnectionException;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.DatabaseServiceFactory.Backend;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {
    @TempDir
    Path home;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private CommandLine orbit(Function<Backend, DatabaseService> opener) {
        return OrbitCommand.commandLine(Map.of("ORBIT_HOME", home.toString()), opener)
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err));
    }

    private int run(String... args) {
        return orbit(Gateway::openDatabase).execute(args);
    }

    private Path config(String yaml) throws Exception {
        return Files.writeString(home.resolve("config.yaml"), yaml);
    }

    @Test
    void theDefaultConfigFileIsUnderOrbitHome() {
        int code = run("serve");

        assertThat(code).isEqualTo(1);
        assertThat(err).hasToString("orbit: " + home.resolve("config/config.yaml") + ": cannot read: file not found\n");
        assertThat(out).hasToString("");
    }

    @Test
    void aBadConfigValueIsOneLineAndExitStatusOne() throws Exception {
        Path file = config("internal_services: {backend: {type: mysql}}");

        int code = run("serve", "--config", file.toString());

        assertThat(code).isEqualTo(1);
        assertThat(err).hasToString("orbit: " + file
                + ": internal_services.backend.type: expected one of sqlite, mongodb, postgres, got 'mysql'\n");
    }

    @Test
    void aDatabaseThatCannotBeOpenedIsOneLineNamingTheDatabase() throws Exception {
        Path file = config("general: {port: 0}");

        int code = orbit(backend -> {
            throw new DatabaseConnectionException("database is locked", null);
        }).execute("serve", "--config", file.toString());

        assertThat(code).isEqualTo(1);
        assertThat(err).hasToString("orbit: cannot open the database (sqlite " + home.resolve("orbit.db")
                + "): database is locked\n");
    }

    @Test
    void hostAndPortOptionsOverrideTheConfigFile() throws Exception {
        Path file = config("general: {host: 0.0.0.0, port: 3000}");
        CommandLine orbit = orbit(Gateway::openDatabase);

        orbit.parseArgs("serve", "--config", file.toString(), "--host", "127.0.0.1", "--port", "0");
        OrbitConfig config = orbit.getSubcommands().get("serve").<ServeCommand>getCommand().config();

        assertThat(config.general().host()).isEqualTo("127.0.0.1");
        assertThat(config.general().port()).isZero();
    }

    @Test
    void aDatabaseUrlOverridesTheConfiguredBackend() throws Exception {
        Path file = config("general: {port: 0}");
        CommandLine orbit = orbit(Gateway::openDatabase);

        orbit.parseArgs("serve", "--config", file.toString(), "--db", "sqlite:data/other.db");
        OrbitConfig config = orbit.getSubcommands().get("serve").<ServeCommand>getCommand().config();

        assertThat(config.backend().location()).isEqualTo("sqlite:" + home.toRealPath().resolve("data/other.db"));
    }

    @Test
    void aDatabaseUrlFromTheEnvironmentIsUsedWithoutDbAndDbWinsOverIt() throws Exception {
        Path file = config("general: {port: 0}");
        Map<String, String> env = Map.of("ORBIT_HOME", home.toString(), "ORBIT_DB_URL", "sqlite:data/from-env.db");
        CommandLine fromEnv = OrbitCommand.commandLine(env, Gateway::openDatabase);
        CommandLine fromOption = OrbitCommand.commandLine(env, Gateway::openDatabase);

        fromEnv.parseArgs("serve", "--config", file.toString());
        fromOption.parseArgs("serve", "--config", file.toString(), "--db", "sqlite:data/option.db");

        assertThat(fromEnv.getSubcommands().get("serve").<ServeCommand>getCommand().config().backend().location())
                .isEqualTo("sqlite:" + home.toRealPath().resolve("data/from-env.db"));
        assertThat(fromOption.getSubcommands().get("serve").<ServeCommand>getCommand().config().backend().location())
                .isEqualTo("sqlite:" + home.toRealPath().resolve("data/option.db"));
    }

    @Test
    void aBadDatabaseUrlIsOneLineAndExitStatusOne() throws Exception {
        Path file = config("general: {port: 0}");

        int code = run("serve", "--config", file.toString(), "--db", "mysql://x");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("orbit: ").doesNotContain("\tat ");
    }

    @Test
    void withoutOptionsTheConfigFileDecides() throws Exception {
        Path file = config("general: {host: 127.0.0.2, port: 4000}");
        CommandLine orbit = orbit(Gateway::openDatabase);

        orbit.parseArgs("serve", "--config", file.toString());
        OrbitConfig config = orbit.getSubcommands().get("serve").<ServeCommand>getCommand().config();

        assertThat(config.general().host()).isEqualTo("127.0.0.2");
        assertThat(config.general().port()).isEqualTo(4000);
    }

    @Test
    void aPortOutOfRangeIsAUsageError() {
        int code = run("serve", "--port", "70000");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("--port: expected an integer between 0 and 65535, got 70000\n");
    }

    @Test
    void aPortThatIsNotANumberIsAUsageError() {
        int code = run("serve", "--port", "abc");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("'abc' is not an int");
    }

    @Test
    void theListeningUrlIsOneABrowserCanOpen() {
        assertThat(ServeCommand.url("0.0.0.0", 3000)).isEqualTo("http://localhost:3000 (all interfaces)");
        assertThat(ServeCommand.url("127.0.0.1", 8080)).isEqualTo("http://127.0.0.1:8080");
        assertThat(ServeCommand.url("::1", 8080)).isEqualTo("http://[::1]:8080");
    }

    @Test
    void serveRunsUntilAnAdminShutsTheGatewayDownThenExitsZero() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path file = config("general: {host: 127.0.0.1, port: " + port + "}\nauth: {default_admin_password: admin-Secret1}");
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> run("serve", "--config", file.toString()));
        HttpClient client = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                client.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding());
                break;
            } catch (IOException e) {
                assertThat(exit).isNotDone();
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(50);
            }
        }
        String login = client.send(HttpRequest.newBuilder(URI.create(base + "/auth/login"))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\": \"admin\", \"password\": \"admin-Secret1\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String token = login.replaceAll(".*\"token\":\"([0-9a-f]{64})\".*", "$1");

        int status = client.send(HttpRequest.newBuilder(URI.create(base + "/admin/shutdown"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();

        assertThat(status).isEqualTo(200);
        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(err).hasToString("");
    }

    @Test
    void sigtermStopsServeCleanlyWithExitStatusZero() throws Exception {
        // SIGINT takes the same path (StopSignals), but is not tested here: a build started in the background
        // from a script (`./mvnw verify &`) passes SIGINT on as ignored, and the JVM then never sees it.
        for (String signal : java.util.List.of("TERM")) {
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            Path file = config("general: {host: 127.0.0.1, port: " + port + "}\nauth: {default_admin_password:"
                    + " admin-Secret1, pbkdf2_iterations: 1000}");
            Path log = home.resolve("serve-" + signal + ".log");
            java.util.List<String> command = new java.util.ArrayList<>(CliEnvironment.currentJvmCommand());
            command.addAll(java.util.List.of("serve", "--config", file.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("ORBIT_HOME", home.toString());
            Process server = builder.start();
            try {
                HttpClient client = HttpClient.newHttpClient();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (true) {
                    try {
                        client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                                HttpResponse.BodyHandlers.discarding());
                        break;
                    } catch (IOException e) {
                        assertThat(server.isAlive()).as(Files.readString(log)).isTrue();
                        assertThat(System.nanoTime()).isLessThan(deadline);
                        Thread.sleep(100);
                    }
                }

                new ProcessBuilder("kill", "-" + signal, String.valueOf(server.pid())).start().waitFor();

                assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(server.exitValue()).as(signal + ": " + Files.readString(log)).isZero();
            } finally {
                server.destroyForcibly();
            }
        }
    }
}
