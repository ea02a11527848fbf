package dev.orbit.cli;

import dev.orbit.Gateway;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs {@code orbit} in-process as a user would, in a home directory of the test's own (so {@code ~/.orbit/}
 * is never the real one), with no terminal and the given standard input.
 */
final class Orbit {
    private final Path home;
    private final Map<String, String> env;
    private boolean colorOutput;

    Orbit(Path home, Map<String, String> env) {
        this.home = home;
        this.env = new HashMap<>(env);
    }

    Path home() {
        return home;
    }

    Path orbitDir() {
        return home.resolve(".orbit");
    }

    Orbit env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Pretend standard output is a terminal (where colour is allowed). */
    Orbit onATerminal() {
        colorOutput = true;
        return this;
    }

    Run run(String... args) {
        return withInput("", args);
    }

    Run withInput(String stdin, String... args) {
        return run(new StringWriter(), stdin, args);
    }

    /** Runs with standard output written to {@code out} as it comes, for another thread to watch. */
    Run runWritingTo(StringWriter out, String... args) {
        return run(out, "", args);
    }

    private Run run(StringWriter out, String stdin, String... args) {
        StringWriter err = new StringWriter();
        BufferedReader input = new BufferedReader(new StringReader(stdin));
        CliEnvironment environment = new CliEnvironment(env, home, input, null, colorOutput,
                CliEnvironment.currentJvmCommand());
        CommandLine orbit = OrbitCommand.commandLine(environment, Gateway::openDatabase)
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        int status = orbit.execute(args);
        return new Run(status, out.toString(), err.toString());
    }
}
