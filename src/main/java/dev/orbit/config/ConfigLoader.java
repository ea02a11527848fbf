package dev.orbit.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Loads the YAML configuration: read, parse, substitute the environment, then check into an {@link OrbitConfig},
 * whose {@link OrbitConfig#warnings} name the keys nothing read.
 */
public final class ConfigLoader {
    // Duplicate keys are almost always a paste error; silently taking the last one hides it.
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ConfigLoader() {
    }

    /** The configuration in {@code file}, with {@code env} for substitution and {@code ORBIT_HOME}. */
    public static OrbitConfig load(Path file, Map<String, String> env) {
        String source = file.toString();
        return parse(read(file, source), source, env).withSource(() -> load(file, env));
    }

    /** The configuration in {@code yaml}; {@code source} names it in messages. */
    public static OrbitConfig parse(String yaml, String source, Map<String, String> env) {
        JsonNode file = parseYaml(yaml, source);
        JsonNode substituted = new EnvSubstitution(env).substitute(file, source);
        return OrbitConfig.read(ConfigNode.root(source, substituted), OrbitHome.resolve(env), file)
                .withSource(() -> parse(yaml, source, env));
    }

    private static String read(Path file, String source) {
        if (Files.isDirectory(file)) {
            throw new ConfigException(source + ": cannot read: is a directory, expected a YAML file");
        }
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(source + ": cannot read: file not found", e);
        } catch (AccessDeniedException e) {
            throw new ConfigException(source + ": cannot read: permission denied", e);
        } catch (CharacterCodingException e) {
            throw new ConfigException(source + ": cannot read: not UTF-8 text", e);
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static JsonNode parseYaml(String yaml, String source) {
        try {
            JsonNode tree = YAML.readTree(yaml);
            // An empty file has no document at all: treat it as an empty mapping, so every default applies.
            return tree == null || tree.isMissingNode() ? JsonNodeFactory.instance.objectNode() : tree;
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": invalid YAML" + describe(e), e);
        }
    }

    // SnakeYAML's own message spans several lines with a snippet and a caret; keep its context and problem.
    private static String describe(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            String what = yaml.getContext() == null ? yaml.getProblem() : yaml.getContext() + ": " + yaml.getProblem();
            return at(yaml.getProblemMark().getLine() + 1, yaml.getProblemMark().getColumn() + 1) + ": " + what;
        }
        JsonLocation where = e.getLocation();
        return (where == null ? "" : at(where.getLineNr(), where.getColumnNr())) + ": " + firstLine(e.getOriginalMessage());
    }

    private static String at(int line, int column) {
        return " at line " + line + ", column " + column;
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable" : message.strip().lines().findFirst().orElse("unreadable");
    }
}
