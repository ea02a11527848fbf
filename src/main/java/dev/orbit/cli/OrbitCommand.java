package dev.orbit.cli;

import dev.orbit.StartupException;
import dev.orbit.admin.AdminException;
import dev.orbit.config.ConfigException;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.DatabaseServiceFactory.Backend;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top-level {@code orbit} command; its subcommands do the work. */
@Command(name = "orbit", mixinStandardHelpOptions = true, versionProvider = OrbitCommand.Version.class,
        description = "ORBIT, a self-hosted AI gateway.")
public final class OrbitCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    /**
     * The full command line, with the process environment and database opener passed in so tests can use
     * their own. Expected failures (bad configuration, database or port unavailable, a refused database
     * administration command) print one line, {@code orbit: <message>}, and exit 1.
     */
    public static CommandLine commandLine(Map<String, String> env, Function<Backend, DatabaseService> opener) {
        return new CommandLine(new OrbitCommand())
                .addSubcommand(new ServeCommand(env, opener))
                .addSubcommand(new BenchCommand())
                .addSubcommand(new DbCommand(env, opener))
                .setExecutionExceptionHandler(OrbitCommand::handle);
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    private static int handle(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        PrintWriter err = command.getErr();
        if (e instanceof ConfigException || e instanceof StartupException || e instanceof AdminException) {
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
