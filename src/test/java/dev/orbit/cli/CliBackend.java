package dev.orbit.cli;

/** The backends the CLI tests run their server on. */
enum CliBackend {
    SQLITE,
    MONGODB,
    POSTGRES
}
