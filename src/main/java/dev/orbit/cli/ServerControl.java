package dev.orbit.cli;

import dev.orbit.admin.DatabaseOption;
import dev.orbit.config.ConfigLoader;
import dev.orbit.config.LoggingConfig;
import dev.orbit.config.OrbitConfig;
import dev.orbit.config.Secret;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts {@code orbit serve} in the background and stops it: the logic of {@code orbit start}, {@code stop} and
 * {@code restart}. The server runs detached (its own session where {@code setsid} exists, so Ctrl-C in the
 * terminal that started it does not reach it), logging to its rolling log file, and its console output appended to
 * {@code logs/orbit.out}.
 */
final class ServerControl {
    static final String ADMIN_PASSWORD_VARIABLE = "ORBIT_DEFAULT_ADMIN_PASSWORD";
    private static final Pattern GENERATED_PASSWORD = Pattern.compile("generated password[^:]*:\\s*(\\S+)");
    private static final Duration POLL = Duration.ofMillis(250);

    /** What {@code orbit stop} did: for {@code --output json}, and for people. */
    record Stopped(Map<String, Object> json, String message) {
    }

    /** What {@code orbit start} was asked for. */
    record StartRequest(Path configFile, String host, Integer port, String databaseUrl, Duration readyTimeout) {
    }

    private final Cli cli;
    private final ServerFiles files;
    private final Output out;

    ServerControl(Cli cli) {
        this.cli = cli;
        this.files = new ServerFiles(cli.orbitHome());
        this.out = cli.output();
    }

    ServerFiles files() {
        return files;
    }

    /** Starts the server, waits until {@code GET /health} answers, and says where it runs and the admin password. */
    int start(StartRequest request) {
        Path configFile = cli.serverConfig(request.configFile()).toAbsolutePath();
        OrbitConfig config = ConfigLoader.load(configFile, cli.env()); // a bad file fails here, in one line
        if (request.databaseUrl() != null) {
            DatabaseOption.backendOf(request.databaseUrl(), cli.env()); // so does a bad --db URL
        }
        String host = request.host() != null ? request.host() : config.general().host();
        int port = request.port() != null ? request.port() : config.general().port();
        if (port == 0) {
            throw new CliException("orbit start needs a fixed port to find the server at; set general.port or pass --port");
        }
        String url = "http://" + probeHost(host) + ":" + port;
        Optional<ProcessHandle> running = files.running();
        if (running.isPresent()) {
            throw new CliException("ORBIT is already running (pid " + running.get().pid() + ", " + files.pidFile()
                    + "); orbit stop stops it, orbit restart restarts it");
        }
        if (answers(probeHost(host), port)) {
            throw new CliException("port " + port + " is already in use (something answers at " + url
                    + "); stop it or choose another port with --port");
        }
        if (files.stale()) {
            files.deletePid();
        }
        PrivateFiles.createIfMissing(files.console());
        long consoleStart = files.consoleSize();
        Path log = LoggingConfig.read(config.raw(), cli.orbitHome()).file();
        Process process = launch(configFile, request.host(), request.port(), request.databaseUrl());
        files.writePid(process.pid());
        files.writeLaunch(LaunchRecord.of(process.pid(), process.info().startInstant().orElse(null), url, configFile,
                request));
        out.progress("Starting ORBIT (pid " + process.pid() + ", log " + log + ") ");
        waitForHealth(process, url, request.readyTimeout(), consoleStart, log);
        out.progressDone(" ready");
        report(config, configFile, ServeCommand.url(host, port), url, process.pid(), log,
                files.consoleSince(consoleStart));
        return 0;
    }

    /**
     * Stops the server {@code start} launched, and only it: SIGTERM to the pid file's process (verified to be that
     * server), which stops as cleanly as on {@code POST /admin/shutdown}; waits up to {@code timeout}, then kills
     * it when {@code force}. Never another server, whatever {@code --server-url} says. Progress goes to standard
     * error; the caller reports the result.
     */
    Stopped stop(Duration timeout, boolean force) {
        Optional<ProcessHandle> process = files.running();
        if (process.isEmpty()) {
            if (files.stale()) {
                files.deletePid();
            }
            return new Stopped(Map.of("stopped", false, "message", "ORBIT is not running"), "ORBIT is not running.");
        }
        ProcessHandle server = process.get();
        server.destroy();
        out.progress("Stopping ORBIT (SIGTERM sent to pid " + server.pid() + ") ");
        boolean stopped = awaitExit(server, timeout);
        boolean killed = false;
        if (!stopped && force) {
            server.destroyForcibly();
            stopped = awaitExit(server, Duration.ofSeconds(10));
            killed = stopped;
        }
        if (!stopped) {
            out.progressDone("");
            throw new CliException("ORBIT is still running after " + timeout.toSeconds() + " s (pid " + server.pid()
                    + "); orbit stop --force kills it");
        }
        out.progressDone(killed ? " killed (SIGKILL)" : " stopped");
        files.deletePid();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("stopped", true);
        json.put("killed", killed);
        json.put("pid", server.pid());
        return new Stopped(json, killed ? "ORBIT killed after " + timeout.toSeconds() + " s." : "ORBIT stopped.");
    }

    /** Whether {@code GET /health} at this URL answers OK now. */
    boolean healthy(String url) {
        try {
            return cli.anonymous(url, Duration.ofSeconds(2)).send("GET", "/health", null, Map.of()).ok();
        } catch (CliException e) {
            return false;
        }
    }

    private Process launch(Path configFile, String host, Integer port, String databaseUrl) {
        List<String> command = new ArrayList<>();
        Optional<Path> setsid = Optional.of(Path.of("/usr/bin/setsid")).filter(Files::isExecutable)
                .or(() -> Optional.of(Path.of("/bin/setsid")).filter(Files::isExecutable));
        setsid.ifPresent(path -> command.add(path.toString()));
        command.addAll(selfCommand());
        command.addAll(List.of("serve", "--log-to-file", "--config", configFile.toString()));
        if (host != null) {
            command.addAll(List.of("--host", host));
        }
        if (port != null) {
            command.addAll(List.of("--port", String.valueOf(port)));
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(cli.orbitHome().toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(files.console().toFile()));
        builder.environment().clear();
        builder.environment().putAll(cli.env());
        builder.environment().put("ORBIT_HOME", cli.orbitHome().toString());
        if (databaseUrl != null) {
            // Not --db: a command line is visible to every user (ps) for the server's whole life; its
            // environment is not, and the URL may hold a password.
            builder.environment().put(ServeCommand.DATABASE_VARIABLE, databaseUrl);
        }
        try {
            Process process = builder.start();
            process.getOutputStream().close(); // no input: the server reads none
            return process;
        } catch (IOException e) {
            throw new CliException("cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
    }

    // Run from a copy of the jar, so that bin/orbit rebuilding target/orbit.jar cannot break a running server.
    private List<String> selfCommand() {
        List<String> command = new ArrayList<>(cli.environment().selfCommand());
        int jar = command.indexOf("-jar") + 1;
        if (jar > 0 && jar < command.size()) {
            Path source = Path.of(command.get(jar));
            try {
                Files.createDirectories(files.dir());
                Files.copy(source, files.jarCopy(), StandardCopyOption.REPLACE_EXISTING);
                command.set(jar, files.jarCopy().toString());
            } catch (IOException e) {
                throw new CliException("cannot copy " + source + " to " + files.jarCopy() + ": " + e.getMessage(), e);
            }
        }
        return command;
    }

    private void waitForHealth(Process process, String url, Duration wait, long consoleStart, Path log) {
        long deadline = System.nanoTime() + wait.toNanos();
        long nextDot = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (true) {
            if (healthy(url)) {
                return;
            }
            if (!process.isAlive()) {
                out.progressDone(" failed");
                files.deletePid();
                List<String> lines = files.consoleSince(consoleStart);
                throw new CliException("ORBIT stopped during start-up (exit status " + process.exitValue() + "); the"
                        + " end of " + files.console() + ":\n  " + String.join("\n  ", lines.subList(Math.max(0,
                        lines.size() - 15), lines.size())) + "\n(the log: " + log + ")");
            }
            if (System.nanoTime() > deadline) {
                out.progressDone(" no answer");
                throw new CliException("ORBIT did not answer GET " + url + "/health within " + wait.toSeconds()
                        + " s; it may still be starting (pid " + process.pid() + ", log " + log
                        + "); orbit stop stops it");
            }
            if (System.nanoTime() > nextDot) {
                out.progress(".");
                nextDot += Duration.ofSeconds(1).toNanos();
            }
            sleep(POLL);
        }
    }

    private boolean awaitExit(ProcessHandle process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                process.onExit().get(1, TimeUnit.SECONDS);
                return true;
            } catch (java.util.concurrent.TimeoutException e) {
                out.progress(".");
            } catch (java.util.concurrent.ExecutionException e) {
                return !process.isAlive();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted while waiting for pid " + process.pid() + " to exit", e);
            }
        }
        return !process.isAlive();
    }

    /** Where the admin password came from, as {@code orbit start} reports it. */
    record AdminPassword(String source, String generated, String description) {
    }

    /**
     * Where the default admin's password comes from: generated by this start (the server printed it to its console
     * output, once), {@value #ADMIN_PASSWORD_VARIABLE}, {@code auth.default_admin_password}, or nowhere new because the
     * account existed already.
     */
    static AdminPassword adminPassword(OrbitConfig config, Path configFile, Map<String, String> env, Path console,
                                       List<String> consoleLines) {
        Optional<String> generated = consoleLines.stream().map(GENERATED_PASSWORD::matcher).filter(Matcher::find)
                .map(m -> m.group(1)).reduce((first, second) -> second);
        Optional<String> configured = config.auth().defaultAdminPassword().map(Secret::value);
        if (generated.isPresent()) {
            return new AdminPassword("generated", generated.get(), "generated at this first start: " + generated.get()
                    + "\n  (also in " + console + "; log in with orbit login -u " + config.auth().defaultAdminUsername()
                    + " and change it: orbit user change-password)");
        }
        if (configured.isPresent() && configured.get().equals(env.get(ADMIN_PASSWORD_VARIABLE))) {
            return new AdminPassword("env", null, "from " + ADMIN_PASSWORD_VARIABLE
                    + " (it applies when the admin account is first created)");
        }
        if (configured.isPresent()) {
            return new AdminPassword("config", null, "from auth.default_admin_password in " + configFile
                    + " (it applies when the admin account is first created)");
        }
        return new AdminPassword("existing", null, "unchanged: the admin account already existed (its password was"
                + " printed at its first start, or set by " + ADMIN_PASSWORD_VARIABLE + ")");
    }

    private void report(OrbitConfig config, Path configFile, String shownUrl, String url, long pid, Path log,
                        List<String> console) {
        AdminPassword password = adminPassword(config, configFile, cli.env(), files.console(), console);
        if (out.json()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("status", "running");
            json.put("url", url);
            json.put("pid", pid);
            json.put("log", log.toString());
            json.put("admin_password_source", password.source());
            if (password.generated() != null) {
                json.put("admin_password", password.generated());
            }
            out.json(json);
            return;
        }
        out.success("ORBIT is running at " + shownUrl + " (pid " + pid + ")");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Log", log.toString());
        fields.put("Admin user", config.auth().defaultAdminUsername());
        fields.put("Admin password", password.description());
        out.fields(fields);
        if (!url.equals(cli.serverUrl())) {
            out.line("Other commands talk to " + cli.serverUrl() + "; point them here with --server-url " + url
                    + " or orbit config set server.default_url " + url);
        }
    }

    /**
     * Where to reach a server listening on {@code host}: one on every interface as {@code localhost}, the
     * address the other commands use by default.
     */
    static String probeHost(String host) {
        return switch (host) {
            case "0.0.0.0", "", "::", "[::]" -> "localhost";
            default -> host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        };
    }

    private static boolean answers(String host, int port) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(bare, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", e);
        }
    }
}
