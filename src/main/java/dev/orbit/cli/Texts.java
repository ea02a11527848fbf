package dev.orbit.cli;

import dev.orbit.config.HttpConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Text given on the command line or in a file (prompts, notes). */
final class Texts {
    /**
     * The most a text file may hold: the server's default request body limit, as no larger text can reach a
     * server that keeps it. Reading stops there, so {@code /dev/zero} or a huge log given by mistake costs one
     * megabyte, not the heap.
     */
    static final int MAX_BYTES = Math.toIntExact(HttpConfig.DEFAULT.maxBodyBytes());

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

    /** A UTF-8 file's content, refused past {@link #MAX_BYTES} without reading further. */
    static String read(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw FileProblems.cannot("read", file, e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new CliException("cannot read " + file + ": too large, more than " + MAX_BYTES
                    + " bytes (the server's default request body limit)");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IOException e) {
            throw FileProblems.cannot("read", file, e);
        }
    }
}
