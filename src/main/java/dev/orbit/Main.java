package dev.orbit;

import dev.orbit.cli.OrbitCommand;

/** Entry point of {@code target/orbit.jar}: runs the {@code orbit} command line with the real environment. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(OrbitCommand.commandLine(System.getenv(), Gateway::openDatabase).execute(args));
    }
}
