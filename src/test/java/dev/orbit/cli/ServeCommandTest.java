package dev.orbit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.Gateway;
import dev.orbit.config.OrbitConfig;
import dev.orbit.db.DatabaseConnectionException;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.DatabaseServiceFactory.Backend;
import dev.orbit.http.LogCapture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    void eachUnknownConfigKeyIsLoggedOnceAsAWarningBeforeTheGatewayStarts() throws Exception {
        Path file = config("general: {port: 0, prot: 8080}\ngenral: {host: 127.0.0.1}\n");
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger(ServeCommand.class);
        var log = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        log.start();
        logger.addAppender(log);
        try {
            int code = orbit(backend -> {
                throw new DatabaseConnectionException("database is locked", null); // stops serve right after
            }).execute("serve", "--config", file.toString());

            assertThat(code).isEqualTo(1);
        } finally {
            logger.detachAppender(log);
        }
        assertThat(log.list).filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).containsExactly(
                        file + ": unknown key 'general.prot' (ignored): did you mean 'general.port'?",
                        file + ": unknown key 'genral' (ignored): did you mean 'general'?");
    }

    @Test
    void anAddressThatCannotBeListenedOnIsRefusedFirstSayingWhyAndCreatesNoDatabase() throws Exception {
        Path file = config("auth: {default_admin_password: null}\n");
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            for (var c : Map.of(
                    List.of("--host", "256.1.1.1"), "cannot listen on 256.1.1.1:3000: '256.1.1.1' is neither an IP"
                            + " address nor a host name that resolves",
                    List.of("--host", "192.0.2.1", "--port", "0"), "cannot listen on 192.0.2.1:0: Cannot assign"
                            + " requested address",
                    List.of("--host", "127.0.0.1", "--port", String.valueOf(taken.getLocalPort())), "cannot listen on"
                            + " 127.0.0.1:" + taken.getLocalPort() + ": the port is already in use (is ORBIT already"
                            + " running? choose another with --port or general.port)").entrySet()) {
                out.getBuffer().setLength(0);
                err.getBuffer().setLength(0);
                List<String> args = new java.util.ArrayList<>(List.of("serve", "--config", file.toString()));
                args.addAll(c.getKey());

                int code = run(args.toArray(String[]::new));

                assertThat(code).as(c.getKey().toString()).isEqualTo(1);
                assertThat(err).as(c.getKey().toString()).hasToString("orbit: " + c.getValue() + "\n");
                assertThat(home.resolve("orbit.db")).as(c.getKey().toString()).doesNotExist();
            }
        }
    }

    @Test
    void serveRefusesAnotherApplicationsSqliteFileBeforeCreatingAnything() throws Exception {
        Path file = home.resolve("app.db");
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); var s = c.createStatement()) {
            s.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
        }
        byte[] before = Files.readAllBytes(file);
        Path config = config("general: {host: 127.0.0.1, port: 0}\n");

        int code = run("serve", "--config", config.toString(), "--db", "sqlite:app.db");

        assertThat(code).isEqualTo(1);
        assertThat(err).hasToString("orbit: cannot open the database (sqlite " + file + "): " + file + " is not an"
                + " ORBIT database (it holds notes, not ORBIT's users, sessions, api_keys, system_prompts, chat_history):"
                + " refusing to add ORBIT's tables to it; check the path, or pass --allow-foreign-database if it is"
                + " meant\n");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
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

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("orbit: --port: expected an integer between 0 and 65535, got 70000"
                + " (see 'orbit serve --help')\n");
    }

    @Test
    void aPortThatIsNotANumberIsAUsageError() {
        int code = run("serve", "--port", "abc");

        assertThat(code).isEqualTo(1);
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
        Path file = config("general: {host: 127.0.0.1, port: 0}\nauth: {default_admin_password: admin-Secret1}");
        String base;
        CompletableFuture<Integer> exit;
        try (LogCapture log = new LogCapture(ServeCommand.class.getName())) {
            exit = CompletableFuture.supplyAsync(() -> run("serve", "--config", file.toString()));
            // Port 0: the port is the one this server says it listens on, so no other server can answer here.
            base = listeningUrl(() -> String.join("\n", log.lines()), exit::isDone);
        }
        HttpClient client = HttpClient.newHttpClient();
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

    /** What the server logs once it listens, e.g. "ORBIT listening on http://127.0.0.1:41234 (database: ...)". */
    private static final Pattern LISTENING = Pattern.compile("ORBIT listening on (http://127\\.0\\.0\\.1:\\d+) ");

    /** The URL the server says it listens on, waiting for it; the deadline only bounds a failure. */
    private static String listeningUrl(Callable<String> output, BooleanSupplier ended) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            String text = output.call();
            Matcher listening = LISTENING.matcher(text);
            if (listening.find()) {
                return listening.group(1);
            }
            assertThat(ended.getAsBoolean()).as("the server ended before listening: " + text).isFalse();
            assertThat(System.nanoTime()).as("the server listens in time: " + text).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void sigtermStopsServeCleanlyWithExitStatusZero() throws Exception {
        // SIGINT takes the same path (StopSignals), but is not tested here: a build started in the background
        // from a script (`./mvnw verify &`) passes SIGINT on as ignored, and the JVM then never sees it.
        for (String signal : java.util.List.of("TERM")) {
            Path file = config("general: {host: 127.0.0.1, port: 0}\nauth: {default_admin_password:"
                    + " admin-Secret1, pbkdf2_iterations: 1000}");
            Path log = home.resolve("serve-" + signal + ".log");
            java.util.List<String> command = new java.util.ArrayList<>(CliEnvironment.currentJvmCommand());
            // Production's logging, not the tests' (warnings only), so that the server says where it listens.
            command.add(1, "-Dlogback.configurationFile=" + Path.of(ServeCommand.class.getResource("/logback.xml").toURI()));
            command.addAll(java.util.List.of("serve", "--config", file.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("ORBIT_HOME", home.toString());
            Process server = builder.start();
            try {
                String url = listeningUrl(() -> Files.readString(log), () -> !server.isAlive());
                HttpResponse<Void> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url
                        + "/health")).build(), HttpResponse.BodyHandlers.discarding());
                assertThat(health.statusCode()).isEqualTo(200);

                new ProcessBuilder("kill", "-" + signal, String.valueOf(server.pid())).start().waitFor();

                assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(server.exitValue()).as(signal + ": " + Files.readString(log)).isZero();
            } finally {
                server.destroyForcibly();
            }
        }
    }
}
