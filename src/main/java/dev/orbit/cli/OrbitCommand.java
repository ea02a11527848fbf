package dev.orbit.cli;

import dev.orbit.StartupException;
import dev.orbit.admin.AdminException;
import dev.orbit.config.ConfigException;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.DatabaseServiceFactory.Backend;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top-level {@code orbit} command: the global options; its subcommands do the work. */
@Command(name = "orbit", mixinStandardHelpOptions = true, versionProvider = OrbitCommand.Version.class,
        description = "ORBIT, a self-hosted AI gateway.")
public final class OrbitCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    private final GlobalOptions globals;

    private OrbitCommand(GlobalOptions globals) {
        this.globals = globals;
    }

    @Option(names = "--server-url", paramLabel = "URL", description = "Server to talk to (else server.default_url in"
            + " ~/.orbit/config.json, else $ORBIT_SERVER_URL, else http://localhost:3000).")
    void serverUrl(String value) {
        globals.serverUrl = value;
    }

    @Option(names = "--config", paramLabel = "FILE", description = "Server configuration for start, serve, restart"
            + " and key list-adapters (default: $ORBIT_HOME/config/config.yaml).")
    void configFile(Path value) {
        globals.configFile = value;
    }

    @Option(names = {"-v", "--verbose"}, description = "Show each HTTP request and its status on standard error.")
    void verbose(boolean value) {
        globals.verbose = value;
    }

    @Option(names = "--output", paramLabel = "table|json", description = "table (default) or json, for scripts.")
    void output(String value) {
        globals.output = switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "table" -> OutputFormat.TABLE;
            case "json" -> OutputFormat.JSON;
            default -> throw new ParameterException(spec.commandLine(), "--output: expected table or json, got '"
                    + value + "'");
        };
    }

    @Option(names = "--no-color", description = "Plain output without colours (also when NO_COLOR is set or"
            + " the output is not a terminal).")
    void noColor(boolean value) {
        globals.noColor = value;
    }

    /**
     * The full command line with the real home directory, standard input and terminal; the process environment
     * and database opener are passed in. Expected failures (bad configuration, database or port unavailable,
     * server unreachable, an error reply, a refused database administration command) print one line,
     * {@code orbit: <message>}, and exit 1.
     */
    public static CommandLine commandLine(Map<String, String> env, Function<Backend, DatabaseService> opener) {
        return commandLine(CliEnvironment.system(env), opener);
    }

    /** {@link #commandLine(Map, Function)} in the given environment (tests pass their own home and input). */
    public static CommandLine commandLine(CliEnvironment environment, Function<Backend, DatabaseService> opener) {
        CliContext context = new CliContext(environment);
        CommandLine orbit = new CommandLine(new OrbitCommand(context.globals()), new CommandFactory(context));
        for (Class<?> command : java.util.List.of(ServerCommands.Start.class, ServerCommands.Stop.class,
                ServerCommands.Restart.class, ServerCommands.Status.class)) {
            orbit.addSubcommand(command);
        }
        orbit.addSubcommand(new ServeCommand(environment.env(), opener));
        for (Class<?> command : java.util.List.of(AuthCommands.Login.class, AuthCommands.Logout.class,
                AuthCommands.Me.class, AuthCommands.AuthStatus.class, AuthCommands.Register.class, UserCommand.class,
                KeyCommand.class, PromptCommand.class, ConfigCommand.class, AuditCommands.Audit.class,
                AuditCommands.Usage.class, AdminCommands.Pause.class, AdminCommands.Resume.class,
                AdminCommands.Admin.class, QuotaCommand.class)) {
            orbit.addSubcommand(command);
        }
        orbit.addSubcommand(new BenchCommand()).addSubcommand(new DbCommand(environment.env(), opener));
        everyVersionOption(orbit);
        return orbit
                .setExecutionStrategy(parsed -> new CommandLine.RunLast().execute(withGlobalConfig(parsed, context)))
                .setParameterExceptionHandler(OrbitCommand::usageError)
                .setExecutionExceptionHandler(OrbitCommand::handle);
    }

    /** Every command offers -V/--version (the standard help options); each prints ORBIT's version. */
    private static void everyVersionOption(CommandLine command) {
        command.getCommandSpec().versionProvider(new Version());
        command.getSubcommands().values().forEach(OrbitCommand::everyVersionOption);
    }

    // `orbit --config F serve` means `orbit serve --config F`: hand the global file to a subcommand that takes one.
    private static CommandLine.ParseResult withGlobalConfig(CommandLine.ParseResult parsed, CliContext context) {
        Path config = context.globals().configFile;
        for (CommandLine.ParseResult sub = parsed.subcommand(); config != null && sub != null; sub = sub.subcommand()) {
            OptionSpec option = sub.commandSpec().findOption("--config");
            if (option != null && !sub.hasMatchedOption("--config")) {
                option.setValue(config);
            }
        }
        return parsed;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /**
     * A mistyped option or value (unknown option, {@code --limit abc}, a port out of range, options that exclude
     * each other) is a failure like any other: one line, {@code orbit: <what is wrong> (see 'orbit CMD --help')},
     * exit status 1. The usage text is for {@code --help}; printed after every typo it buries the one line that
     * matters.
     */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        String message = e.getMessage() == null ? "invalid command line" : e.getMessage().strip();
        message = message.startsWith("Error: ") ? message.substring("Error: ".length()) : message;
        if (message.length() > 1 && Character.isUpperCase(message.charAt(0)) && Character.isLowerCase(message.charAt(1))) {
            message = Character.toLowerCase(message.charAt(0)) + message.substring(1);
        }
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            message += "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?";
        }
        PrintWriter err = command.getErr();
        err.println("orbit: " + message.replaceAll("\\s*\\R\\s*", "; ") + " (see '"
                + command.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return 1;
    }

    private static int handle(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        if (e instanceof Cancelled) {
            return 0; // the user said no; the command has said so
        }
        PrintWriter err = command.getErr();
        if (e instanceof ConfigException || e instanceof StartupException || e instanceof AdminException
                || e instanceof CliException) {
            err.println("orbit: " + e.getMessage());
        } else {
            // A bug, not an operator mistake: the stack trace is what a bug report needs.
            err.println("orbit: unexpected error: " + e);
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    /** The version from the jar manifest ({@code dev} when running from classes). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"orbit " + Optional.ofNullable(OrbitCommand.class.getPackage().getImplementationVersion())
                    .orElse("dev")};
        }
    }
}
