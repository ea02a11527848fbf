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

    @Test
    void aTextFileLargerThanTheServersBodyLimitIsRefusedWithoutReadingItAll() throws Exception {
        Orbit orbit = new Orbit(dir.resolve("home"), Map.of("ORBIT_SERVER_URL", "http://127.0.0.1:9"));
        Path big = Files.write(dir.resolve("big.txt"), "a".repeat(1_048_577).getBytes());
        Path fits = Files.write(dir.resolve("fits.txt"), "a".repeat(1_048_576).getBytes());

        for (Path file : java.util.List.of(Path.of("/dev/zero"), big)) {
            String refusal = "orbit: cannot read " + file + ": too large, more than 1048576 bytes (the server's default"
                    + " request body limit)\n";
            assertThat(orbit.run("prompt", "create", "--name", "n", "--file", file.toString()).err()).isEqualTo(refusal);
            assertThat(orbit.run("prompt", "update", "--id", "p", "--file", file.toString()).err()).isEqualTo(refusal);
            assertThat(orbit.run("key", "create", "--adapter", "a", "--name", "n", "--notes-file", file.toString())
                    .err()).isEqualTo(refusal);
            assertThat(orbit.run("key", "create", "--adapter", "a", "--name", "n", "--prompt-name", "p",
                    "--prompt-file", file.toString()).err()).isEqualTo(refusal);
        }
        // A file within the limit is read and sent (here to no server at all).
        assertThat(orbit.run("prompt", "create", "--name", "n", "--file", fits.toString()).err())
                .startsWith("orbit: cannot reach the server at http://127.0.0.1:9");
    }
}
