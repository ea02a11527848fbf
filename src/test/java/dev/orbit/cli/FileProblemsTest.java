package dev.orbit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileProblemsTest {
    @TempDir
    Path dir;

    @Test
    void theReasonIsSaidNotTheFileNameAgain() throws Exception {
        Path file = dir.resolve("p1.txt");

        // Tests may run as root, whom no mode stops: the exception a denied open throws stands in for it.
        assertThat(FileProblems.cannot("read", file, new AccessDeniedException(file.toString())).getMessage())
                .isEqualTo("cannot read " + file + ": permission denied");
        Orbit orbit = new Orbit(dir.resolve("home"), Map.of());
        assertThat(orbit.run("prompt", "create", "--name", "n", "--file", dir.toString()).err())
                .isEqualTo("orbit: cannot read " + dir + ": is a directory\n");
        assertThat(orbit.run("prompt", "create", "--name", "n", "--file", file.toString()).err())
                .isEqualTo("orbit: cannot read " + file + ": no such file\n");
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe});
        assertThat(orbit.run("prompt", "create", "--name", "n", "--file", file.toString()).err())
                .isEqualTo("orbit: cannot read " + file + ": not UTF-8 text\n");
        assertThat(FileProblems.reason(Path.of("/nonexistent/dir/f.txt"),
                new java.nio.file.NoSuchFileException("/nonexistent/dir/f.txt"))).isEqualTo("no such directory /nonexistent/dir");
    }
}
