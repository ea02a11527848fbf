package dev.orbit.cli;

import java.nio.file.Path;

/** The options given before the subcommand ({@code orbit --server-url URL user list}); null when not given. */
final class GlobalOptions {
    String serverUrl;
    Path configFile;
    boolean verbose;
    OutputFormat output;
    boolean noColor;
}
