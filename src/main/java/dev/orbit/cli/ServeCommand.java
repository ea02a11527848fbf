package dev.orbit.cli;

import dev.orbit.Gateway;
import dev.orbit.admin.AdminException;
import dev.orbit.admin.DatabaseOption;
import dev.orbit.config.ConfigLoader;
import dev.orbit.config.GeneralConfig;
import dev.orbit.config.LoggingConfig;
import dev.orbit.config.OrbitConfig;
import dev.orbit.config.OrbitHome;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.DatabaseServiceFactory.Backend;
import dev.orbit.observability.LogSetup;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code orbit serve}: runs the gateway in the foreground until Ctrl-C or SIGTERM. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the gateway in the foreground (for containers and systemd); Ctrl-C or SIGTERM stops it.",
                "Without --db, the database URL may come from $" + ServeCommand.DATABASE_VARIABLE
                        + " (which keeps a password off the command line)."})
public final class ServeCommand implements Callable<Integer> {
    /** {@code --db} from the environment: how {@code orbit start} hands the URL over without showing it in ps. */
    static final String DATABASE_VARIABLE = "ORBIT_DB_URL";

    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    private final Map<String, String> env;
    private final Function<Backend, DatabaseService> opener;

    @Spec
    private CommandSpec spec;

    @picocli.CommandLine.Mixin
    private DatabaseOption database = new DatabaseOption();

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (default: $ORBIT_HOME/config/config.yaml).")
    private Path configFile;

    @Option(names = "--host", paramLabel = "H", description = "Address to listen on (overrides general.host).")
    private String host;

    @Option(names = "--allow-foreign-database", description = "Let ORBIT add its tables to a SQLite file that holds"
            + " another application's (refused by default: a mistyped path must not alter it).")
    private boolean allowForeign;

    @Option(names = "--log-to-file", hidden = true, description = "Log only to the configured log file, not to the"
            + " console (what orbit start runs: its server has no terminal).")
    private boolean logToFile;

    private Integer port;

    ServeCommand(Map<String, String> env, Function<Backend, DatabaseService> opener) {
        this.env = env;
        this.opener = opener;
    }

    @Option(names = "--port", paramLabel = "N", description = "Port to listen on, 0 for any free one (overrides general.port).")
    void setPort(int value) {
        if (value < GeneralConfig.MIN_PORT || value > GeneralConfig.MAX_PORT) {
            throw new ParameterException(spec.commandLine(), "--port: expected an integer between "
                    + GeneralConfig.MIN_PORT + " and " + GeneralConfig.MAX_PORT + ", got " + value);
        }
        port = value;
    }

    /** The configuration this invocation runs with: the file, then the command-line overrides. */
    OrbitConfig config() {
        OrbitConfig config = configured();
        return allowForeign && config.backend() instanceof Backend.Sqlite s
                ? config.withBackend(new Backend.Sqlite(s.options().withForeignAllowed())) : config;
    }

    private OrbitConfig configured() {
        Path file = configFile != null ? configFile : OrbitHome.resolve(env).resolve("config/config.yaml");
        OrbitConfig config = ConfigLoader.load(file, env);
        GeneralConfig general = config.general();
        if (host != null) {
            general = general.withHost(host);
        }
        if (port != null) {
            general = general.withPort(port);
        }
        OrbitConfig withGeneral = config.withGeneral(general);
        if (database.url().isPresent()) {
            return database.applyTo(withGeneral, env);
        }
        String variable = env.get(DATABASE_VARIABLE);
        if (variable == null || variable.isBlank()) {
            return withGeneral;
        }
        try {
            return withGeneral.withBackend(DatabaseOption.backendOf(variable.strip(), env));
        } catch (AdminException e) {
            throw new CliException(DATABASE_VARIABLE + ": " + e.getMessage(), e); // the message masks the password
        }
    }

    @Override
    public Integer call() {
        OrbitConfig config = config();
        // For the process's life: the file (and console) it sets up are closed by Logback's own shutdown.
        LogSetup.apply(LoggingConfig.read(config.raw(), OrbitHome.resolve(env)), logToFile);
        config.warnings().forEach(warning -> LOG.warn("{}", warning)); // unknown keys: once, at start-up
        Gateway gateway = Gateway.start(config, opener);
        // Other ways the JVM ends (SIGHUP, System.exit) still close the gateway through this hook.
        Thread hook = Thread.ofPlatform().name("orbit-shutdown").unstarted(() -> {
            LOG.info("ORBIT stopping");
            gateway.close();
            LOG.info("ORBIT stopped");
        });
        Runtime.getRuntime().addShutdownHook(hook);
        LOG.info("ORBIT listening on {} (database: {})", url(config.general().host(), gateway.port()),
                gateway.database().describe());
        try (StopSignals signals = StopSignals.install(gateway::close)) {
            gateway.awaitClosed(); // Ctrl-C, SIGTERM or POST /admin/shutdown
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            gateway.close();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            LOG.info("ORBIT stopped");
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook closed the gateway and says so itself.
        }
        return 0; // a clean stop, whatever asked for it
    }

    // A wildcard address is not something to paste into a browser; say where it can be reached instead.
    static String url(String host, int port) {
        return switch (host) {
            case "0.0.0.0", "::", "[::]" -> "http://localhost:" + port + " (all interfaces)";
            default -> "http://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
        };
    }
}
