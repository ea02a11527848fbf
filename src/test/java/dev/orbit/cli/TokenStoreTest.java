package dev.orbit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenStoreTest {
    @TempDir
    Path home;

    @Test
    void aTokenFileOthersCanReadIsNarrowedToTheOwnerWhenReadAndTheUserIsTold() throws Exception {
        Path file = Files.createDirectories(home.resolve(".orbit")).resolve("token.json");
        Files.writeString(file, "{\"server_url\": \"http://localhost:3000\", \"token\": \"abc\", \"username\": \"u\"}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        Run run = new Orbit(home, Map.of()).run("config", "effective");

        assertThat(run.status()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(run.err()).isEqualTo(file + " was readable by other users (rw-r--r--); it is now readable only by"
                + " you (rw-------)\n");
        assertThat(new Orbit(home, Map.of()).run("config", "effective").err()).isEmpty();
    }
}
