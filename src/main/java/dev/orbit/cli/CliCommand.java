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

    /** A usage error with this message: {@code orbit: <message> (see ...--help)}, exit status 1. */
    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /**
     * Asks before a destructive action unless forced. A no stops the command with {@code Cancelled.} and exit
     * status 0; no answer at all (input ended, as in a script that forgot --force) is an error.
     */
    static void confirm(Cli cli, boolean force, String question) {
        if (force) {
            return;
        }
        Prompter.Answer answer = cli.prompter().confirm(question);
        if (answer == Prompter.Answer.NONE) {
            throw new CliException("no answer to the question; answer y, or pass --force to skip it");
        }
        if (answer == Prompter.Answer.NO) {
            Output out = cli.output();
            if (out.json()) {
                out.json(java.util.Map.of("cancelled", true, "message", "Cancelled."));
            } else {
                out.line("Cancelled.");
            }
            throw new Cancelled();
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
