package dev.orbit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The CLI's own settings in {@code ~/.orbit/config.json} (mode 600), nested by the dots of their keys as the
 * reference CLI writes them ({@code {"server": {"default_url": ...}}}). Only the keys below are accepted.
 */
final class CliSettings {
    static final String SERVER_URL = "server.default_url";
    static final String TIMEOUT = "server.timeout";
    static final String FORMAT = "output.format";
    static final String COLOR = "output.color";
    static final String DEFAULT_SERVER_URL = "http://localhost:3000";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A key the file may hold, with its built-in default (null: none, another source decides). */
    record Setting(String key, String description, JsonNode defaultValue) {
    }

    static final List<Setting> SETTINGS = List.of(
            new Setting(SERVER_URL, "server the commands talk to (--server-url and then this win over ORBIT_SERVER_URL)",
                    null),
            new Setting(TIMEOUT, "seconds to wait for a reply, 1..300", IntNode.valueOf(30)),
            new Setting(FORMAT, "table or json (--output wins)", TextNode.valueOf("table")),
            new Setting(COLOR, "true or false: colour on a terminal (--no-color wins)", BooleanNode.TRUE));

    private final Path file;

    CliSettings(Path orbitDir) {
        this.file = orbitDir.resolve("config.json");
    }

    Path file() {
        return file;
    }

    /** The file's content; empty when there is no file. */
    ObjectNode read() {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return JSON.createObjectNode();
        } catch (IOException e) {
            throw FileProblems.cannot("read", file, e);
        }
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || node.isMissingNode()) {
                return JSON.createObjectNode();
            }
            if (!(node instanceof ObjectNode object)) {
                throw new CliException(file + ": expected a JSON object; fix it or run orbit config reset");
            }
            return object;
        } catch (JsonProcessingException e) {
            throw new CliException(file + ": not valid JSON (" + e.getOriginalMessage()
                    + "); fix it or run orbit config reset", e);
        }
    }

    /** The value stored for a dotted key. */
    Optional<JsonNode> stored(String key) {
        JsonNode node = read();
        for (String part : key.split("\\.")) {
            node = node.path(part);
        }
        return node.isMissingNode() || node.isNull() ? Optional.empty() : Optional.of(node);
    }

    /** The stored value, else the built-in default. */
    Optional<JsonNode> value(String key) {
        return stored(key).or(() -> Optional.ofNullable(setting(key).defaultValue()));
    }

    /** Checks and stores a value given as text; returns it as stored. */
    JsonNode set(String key, String text) {
        Setting setting = setting(key);
        JsonNode value = parse(setting, text.strip());
        ObjectNode root = read();
        String[] parts = key.split("\\.");
        ObjectNode parent = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = parent.get(parts[i]);
            parent = child instanceof ObjectNode object ? object : parent.putObject(parts[i]);
        }
        parent.set(parts[parts.length - 1], value);
        write(root);
        return value;
    }

    /** Deletes the file, so every key has its default again; true if there was one. */
    boolean reset() {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw FileProblems.cannot("delete", file, e);
        }
    }

    static Setting setting(String key) {
        return SETTINGS.stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow(() -> new CliException(
                "unknown setting '" + key + "'; known: " + SETTINGS.stream().map(Setting::key)
                        .collect(Collectors.joining(", "))));
    }

    private static JsonNode parse(Setting setting, String text) {
        String key = setting.key();
        return switch (key) {
            case SERVER_URL -> TextNode.valueOf(Cli.normalizeUrl(text, key));
            case TIMEOUT -> {
                try {
                    int seconds = Integer.parseInt(text);
                    if (seconds >= 1 && seconds <= 300) {
                        yield IntNode.valueOf(seconds);
                    }
                } catch (NumberFormatException e) {
                    // explained below
                }
                throw new CliException(key + ": expected an integer between 1 and 300, got '" + text + "'");
            }
            case FORMAT -> switch (text.toLowerCase(Locale.ROOT)) {
                case "table", "json" -> TextNode.valueOf(text.toLowerCase(Locale.ROOT));
                default -> throw new CliException(key + ": expected table or json, got '" + text + "'");
            };
            case COLOR -> switch (text.toLowerCase(Locale.ROOT)) {
                case "true" -> BooleanNode.TRUE;
                case "false" -> BooleanNode.FALSE;
                default -> throw new CliException(key + ": expected true or false, got '" + text + "'");
            };
            default -> throw new IllegalStateException("no parser for " + key);
        };
    }

    private void write(ObjectNode root) {
        try {
            PrivateFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
