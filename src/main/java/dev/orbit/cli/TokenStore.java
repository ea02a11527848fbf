package dev.orbit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The login token in {@code ~/.orbit/token.json} (mode 600), with the server it belongs to: a token is only
 * ever sent to the server that issued it.
 */
final class TokenStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A stored login. */
    record Login(String serverUrl, String token, String username) {
    }

    private final Path file;

    TokenStore(Path orbitDir) {
        this.file = orbitDir.resolve("token.json");
    }

    Path file() {
        return file;
    }

    /** The stored login, if any (an unreadable file counts as none: logging in again replaces it). */
    Optional<Login> read() {
        try {
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
            throw new CliException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }
}
