package dev.orbit.cli;

import picocli.CommandLine.Model.CommandSpec;

/** Shared by every command of one command line: the environment and the global options once parsed. */
final class CliContext {
    private final CliEnvironment environment;
    private final GlobalOptions globals = new GlobalOptions();

    CliContext(CliEnvironment environment) {
        this.environment = environment;
    }

    CliEnvironment environment() {
        return environment;
    }

    GlobalOptions globals() {
        return globals;
    }

    /** A run of the command {@code spec}, printing where its command line prints. */
    Cli open(CommandSpec spec) {
        return new Cli(environment, globals, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
