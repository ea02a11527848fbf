package dev.orbit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The login token in {@code ~/.orbit/token.json} (mode 600), with the server it belongs to: a token is only
 * ever sent to the server that issued it.
 */
final class TokenStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A stored login. */
    record Login(String serverUrl, String token, String username) {
    }

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path file;
    private final Consumer<String> warn;

    /** @param warn where to tell the user that the file's mode was narrowed */
    TokenStore(Path orbitDir, Consumer<String> warn) {
        this.file = orbitDir.resolve("token.json");
        this.warn = warn;
    }

    Path file() {
        return file;
    }

    /** The stored login, if any (an unreadable file counts as none: logging in again replaces it). */
    Optional<Login> read() {
        try {
            narrow();
            JsonNode node = JSON.readTree(Files.readString(file));
            String url = node.path("server_url").asText(null);
            String token = node.path("token").asText(null);
            if (url == null || token == null || token.isBlank()) {
                return Optional.empty();
            }
            return Optional.of(new Login(url, token, node.path("username").asText(null)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The token for this server, if the stored login is for it. */
    Optional<String> tokenFor(String serverUrl) {
        return read().filter(login -> login.serverUrl().equals(serverUrl)).map(Login::token);
    }

    // A file copied in or restored from a backup may have lost its mode 600; the token in it is a login.
    private void narrow() throws IOException {
        Set<PosixFilePermission> mode;
        try {
            mode = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return; // not a POSIX file system: nothing to narrow
        }
        if (!OWNER_ONLY.containsAll(mode)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
            warn.accept(file + " was readable by other users (" + PosixFilePermissions.toString(mode) + "); it is now"
                    + " readable only by you (rw-------)");
        }
    }

    void save(Login login) {
        try {
            PrivateFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(Map.of(
                    "server_url", login.serverUrl(), "token", login.token(),
                    "username", login.username() == null ? "" : login.username())) + "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Forgets the login; true if there was one. */
    boolean delete() {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw FileProblems.cannot("delete", file, e);
        }
    }
}
