package dev.orbit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Text given on the command line or in a file (prompts, notes). */
final class Texts {
    private Texts() {
    }

    /** {@code --file F} or {@code --prompt-text T}, as the {@code prompt} commands take them. */
    static final class Source {
        @Option(names = "--file", paramLabel = "F", required = true, description = "Read the prompt from a file.")
        Path file;

        @Option(names = "--prompt-text", paramLabel = "T", required = true, description = "The prompt itself.")
        String text;

        String read() {
            return text != null ? text : Texts.read(file);
        }
    }

    /** A UTF-8 file's content. */
    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw FileProblems.cannot("read", file, e);
        }
    }
}
