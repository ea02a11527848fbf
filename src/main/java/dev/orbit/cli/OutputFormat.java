package dev.orbit.cli;

/** How results are printed: aligned tables and lines for people, or JSON for scripts. */
enum OutputFormat {
    TABLE,
    JSON
}
