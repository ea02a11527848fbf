package dev.orbit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orbit.config.GeneralConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code orbit start}, {@code stop}, {@code restart} and {@code status}: the server in the background. */
final class ServerCommands {
    private ServerCommands() {
    }

    /** {@code --config}, {@code --host}, {@code --port} as {@code serve} takes them. */
    static final class ServeOptions {
        @Option(names = "--config", paramLabel = "FILE",
                description = "Configuration file (default: $ORBIT_HOME/config/config.yaml).")
        Path configFile;

        @Option(names = "--host", paramLabel = "H", description = "Address to listen on (overrides general.host).")
        String host;

        @Option(names = "--port", paramLabel = "N", description = "Port to listen on (overrides general.port).")
        Integer port;

        @Option(names = "--db", paramLabel = "URL", description = "Use this database instead of the configured one:"
                + " sqlite:PATH (relative to ORBIT_HOME) or mongodb://...")
        String databaseUrl;

        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "120",
                description = "How long to wait for GET /health to answer (default: ${DEFAULT-VALUE}).")
        int wait;

        ServerControl.StartRequest request(CliCommand command) {
            if (port != null && (port < 1 || port > GeneralConfig.MAX_PORT)) {
                throw command.usage("--port: expected an integer between 1 and " + GeneralConfig.MAX_PORT + ", got " + port);
            }
            if (wait < 1) {
                throw command.usage("--wait: expected at least 1 second, got " + wait);
            }
            return new ServerControl.StartRequest(configFile, host, port, databaseUrl, Duration.ofSeconds(wait));
        }
    }

    /** {@code --timeout} and {@code --force} as {@code stop} takes them. */
    static final class StopOptions {
        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
                description = "How long to wait for the server to stop (default: ${DEFAULT-VALUE}).")
        int timeout;

        @Option(names = "--force", description = "Kill the server (SIGKILL) if it has not stopped after --timeout.")
        boolean force;

        Duration timeout(CliCommand command) {
            if (timeout < 1) {
                throw command.usage("--timeout: expected at least 1 second, got " + timeout);
            }
            return Duration.ofSeconds(timeout);
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start the gateway in the background"
            + " (pid file and log under $ORBIT_HOME/logs/), wait until it answers, and print its URL and where the"
            + " admin password came from.")
    static final class Start extends CliCommand {
        @picocli.CommandLine.Mixin
        ServeOptions options;

        Start(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            return new ServerControl(cli).start(options.request(this));
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the gateway that orbit start"
            + " launched here (SIGTERM to the process of its pid file; never another server).")
    static final class Stop extends CliCommand {
        @picocli.CommandLine.Mixin
        StopOptions options;

        Stop(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            ServerControl.Stopped stopped = new ServerControl(cli).stop(options.timeout(this), options.force);
            if (cli.output().json()) {
                cli.output().json(stopped.json());
            } else {
                cli.output().success(stopped.message());
            }
            return 0;
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true, description = "Stop the gateway if it runs, then start"
            + " it again with the options orbit start was given, except those given now.")
    static final class Restart extends CliCommand {
        @picocli.CommandLine.Mixin
        ServeOptions serve;

        @picocli.CommandLine.Mixin
        StopOptions stop;

        Restart(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            ServerControl control = new ServerControl(cli);
            ServerControl.StartRequest given = serve.request(this);
            ServerControl.StartRequest request = control.files().launch().map(l -> l.fillIn(given)).orElse(given);
            ServerControl.Stopped stopped = control.stop(stop.timeout(this), stop.force);
            if (!cli.output().json()) {
                cli.output().line(stopped.message());
            }
            return control.start(request);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Say whether the gateway answers"
            + " (exit status 0) or not (1), with its pid and version.")
    static final class Status extends CliCommand {
        private static final ObjectMapper JSON = new ObjectMapper();
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

        @Option(names = "--watch", description = "Check again every --interval seconds until interrupted (Ctrl-C);"
                + " with --output json, one JSON object per line.")
        boolean watch;

        @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2",
                description = "Seconds between checks with --watch (default: ${DEFAULT-VALUE}).")
        int interval;

        Status(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            if (interval < 1) {
                throw usage("--interval: expected at least 1 second, got " + interval);
            }
            ServerControl control = new ServerControl(cli);
            if (!watch) {
                Map<String, Object> status = check(cli, control);
                print(cli.output(), status);
                return Boolean.TRUE.equals(status.get("running")) ? 0 : 1;
            }
            while (!Thread.currentThread().isInterrupted()) {
                Map<String, Object> status = check(cli, control);
                if (cli.output().json()) {
                    try {
                        cli.output().line(JSON.writeValueAsString(status));
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new IllegalStateException(e);
                    }
                } else {
                    cli.output().line(TIME.format(Instant.now()) + "  " + summary(status));
                }
                try {
                    Thread.sleep(Duration.ofSeconds(interval));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return 0;
        }

        // The server start launched here, at its own address, unless --server-url names another; a pid only
        // for the server checked.
        private static Map<String, Object> check(Cli cli, ServerControl control) {
            Optional<LaunchRecord> local = control.files().runningLaunch();
            String url = cli.globals().serverUrl == null && local.isPresent() ? local.get().url() : cli.serverUrl();
            boolean ours = local.isPresent() && local.get().url().equals(url);
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("server_url", url);
            long started = System.nanoTime();
            String problem = null;
            try {
                OrbitClient.Reply reply = cli.anonymous(url, cli.timeout()).send("GET", "/health", null, Map.of());
                if (!reply.ok()) {
                    problem = "GET /health answered " + reply.status();
                }
            } catch (CliException e) {
                problem = e.getMessage();
            }
            status.put("running", problem == null);
            if (problem == null) {
                status.put("health_ms", (System.nanoTime() - started) / 1_000_000);
            } else {
                status.put("problem", problem);
            }
            status.put("pid_file", control.files().pidFile().toString());
            status.put("pid", ours ? local.get().pid() : null);
            if (cli.globals().serverUrl == null && control.files().stale()) {
                status.put("stale_pid", control.files().pid().getAsLong());
            }
            if (problem == null && cli.tokens().tokenFor(url).isPresent()) {
                try {
                    JsonNode info = cli.client(url).get("/admin/info");
                    status.put("server_pid", info.path("pid").asLong());
                    status.put("version", info.path("version").asText());
                    status.put("state", info.path("status").asText("running")); // "paused" after orbit pause
                } catch (CliException e) {
                    // Not an admin, or the session ended: the rest of the status still stands.
                }
            }
            return status;
        }

        private static void print(Output out, Map<String, Object> status) {
            if (out.json()) {
                out.json(status);
                return;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("Server", status.get("server_url").toString());
            fields.put("Status", Boolean.TRUE.equals(status.get("running"))
                    ? String.valueOf(status.getOrDefault("state", "running")) : "not running: " + status.get("problem"));
            Object pid = status.get("pid") != null ? status.get("pid") : status.get("server_pid");
            fields.put("Pid", pid != null ? pid.toString() : status.containsKey("stale_pid")
                    ? "none (stale pid " + status.get("stale_pid") + " in " + status.get("pid_file") + ")" : "-");
            if (status.containsKey("version")) {
                fields.put("Version", status.get("version").toString());
            }
            out.fields(fields);
        }

        private static String summary(Map<String, Object> status) {
            return Boolean.TRUE.equals(status.get("running"))
                    ? "running  " + status.get("server_url") + "  " + status.get("health_ms") + " ms"
                    + (status.get("pid") != null ? "  pid " + status.get("pid") : "")
                    : "down     " + status.get("server_url") + "  " + status.get("problem");
        }
    }
}
