package dev.orbit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A command that talks to the server or the local files: {@link #run} gets the resolved {@link Cli}. */
abstract class CliCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final CliContext context;

    CliCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public final Integer call() {
        try (Cli cli = context.open(spec)) {
            return run(cli);
        }
    }

    /** Does the work; returns the exit status. */
    abstract int run(Cli cli);

    /** A usage error (exit status 2) with this message. */
    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Asks before a destructive action unless forced; a no (or no answer) stops the command. */
    static void confirm(Cli cli, boolean force, String question) {
        if (!force && !cli.prompter().confirm(question)) {
            throw new CliException("nothing done (answer y, or pass --force to skip the question)");
        }
    }

    /** Prints the server's reply as JSON, or the message; exit status 0. */
    static int done(Cli cli, JsonNode reply, String message) {
        if (cli.output().json()) {
            cli.output().json(reply);
        } else {
            cli.output().success(message);
        }
        return 0;
    }

    /** Base of {@code orbit user}, {@code orbit key}...: a group of subcommands that does nothing itself. */
    abstract static class Group implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new ParameterException(spec.commandLine(), "Missing subcommand: orbit " + spec.name() + " "
                    + String.join("|", spec.subcommands().keySet()));
        }
    }
}
