package dev.orbit.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.orbit.db.Names;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A read-only mapping of the (already substituted) configuration with typed getters that check each value
 * when it is read; every error names the file and the full key path. Missing keys, YAML nulls and empty
 * strings are all "absent", so the caller's default applies.
 *
 * <p>Every key a reader asks for, present or not, is recorded (shared by a tree's nodes): what the readers
 * ask for is what this version knows, so {@link ConfigKeys} can name the keys of the file that nothing read.
 */
public final class ConfigNode {
    // RFC 9110 token: what an HTTP header name may contain.
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final String source;
    private final String path;
    private final JsonNode node;
    private final Set<String> asked;

    private ConfigNode(String source, String path, JsonNode node, Set<String> asked) {
        this.source = source;
        this.path = path;
        this.node = node;
        this.asked = asked;
    }

    /** The top of a configuration tree read from {@code source} (a file name, for messages); the tree is copied. */
    public static ConfigNode root(String source, JsonNode tree) {
        if (!tree.isObject()) {
            throw new ConfigException(source + ": expected a mapping at the top level, got " + describe(tree));
        }
        return new ConfigNode(source, "", tree.deepCopy(), ConcurrentHashMap.newKeySet());
    }

    /**
     * This mapping with every key absent, recording what is asked of it as this one does: running a reader on
     * it records the keys the reader knows without checking any value (see {@code BackendReader}).
     */
    public ConfigNode blank() {
        return new ConfigNode(source, path, MissingNode.getInstance(), asked);
    }

    /** The full paths of every key asked for so far in this tree, e.g. {@code general.port}, {@code adapters[0].name}. */
    Set<String> askedKeys() {
        return Set.copyOf(asked);
    }

    static String join(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    /** Where this mapping came from, for messages. */
    public String source() {
        return source;
    }

    /** The key path of this mapping ("" at the top). */
    public String path() {
        return path;
    }

    /** The full key path of a key of this mapping, e.g. {@code general.port}. */
    public String keyPath(String key) {
        return join(path, key);
    }

    /** A one-line error about a key of this mapping, for checks the getters cannot express. */
    public ConfigException error(String key, String problem) {
        return ConfigException.at(source, keyPath(key), problem);
    }

    /** Whether the key holds a value. */
    public boolean has(String key) {
        return value(key) != null;
    }

    /** The keys that hold a value, in file order. */
    public Set<String> keys() {
        return node.properties().stream()
                .map(Map.Entry::getKey)
                .filter(this::has)
                .collect(Collectors.collectingAndThen(Collectors.toCollection(LinkedHashSet::new),
                        Collections::unmodifiableSet));
    }

    /** The mapping under the key; an empty one when the key is absent. */
    public ConfigNode section(String key) {
        JsonNode value = value(key);
        if (value == null) {
            return new ConfigNode(source, keyPath(key), MissingNode.getInstance(), asked);
        }
        if (!value.isObject()) {
            throw error(key, "expected a mapping, got " + describe(value));
        }
        return new ConfigNode(source, keyPath(key), value, asked);
    }

    /** The list of mappings under the key (e.g. {@code adapters}); empty when the key is absent. */
    public List<ConfigNode> sectionList(String key) {
        JsonNode value = value(key);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            throw error(key, "expected a list of mappings, got " + describe(value));
        }
        List<ConfigNode> sections = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            String itemPath = keyPath(key) + "[" + i + "]";
            if (!value.get(i).isObject()) {
                throw ConfigException.at(source, itemPath, "expected a mapping, got " + describe(value.get(i)));
            }
            sections.add(new ConfigNode(source, itemPath, value.get(i), asked));
        }
        return List.copyOf(sections);
    }

    /** The string under the key; numbers and booleans are read as written. */
    public Optional<String> string(String key) {
        JsonNode value = value(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isValueNode()) {
            throw error(key, "expected a string, got " + describe(value));
        }
        return Optional.of(value.asText());
    }

    /** The string under the key, or the default when absent. */
    public String string(String key, String defaultValue) {
        return string(key).orElse(defaultValue);
    }

    /** The string under the key; absent is an error. */
    public String requiredString(String key) {
        return string(key).orElseThrow(() -> error(key, "required but missing"));
    }

    /**
     * The strings under the key: a list of scalars, or one string of comma-separated items (so that a single
     * {@code ${VAR}} can fill it); items are trimmed and blank ones dropped. Empty when the key is absent.
     */
    public List<String> stringList(String key) {
        JsonNode value = value(key);
        if (value == null) {
            return List.of();
        }
        List<String> items = new ArrayList<>();
        if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = value.get(i);
                if (!item.isValueNode() || item.isNull()) {
                    throw ConfigException.at(source, keyPath(key) + "[" + i + "]", "expected a string, got " + describe(item));
                }
                items.add(item.asText());
            }
        } else if (value.isValueNode()) {
            items.addAll(Arrays.asList(value.asText().split(",")));
        } else {
            throw error(key, "expected a list of strings, got " + describe(value));
        }
        return items.stream().map(String::strip).filter(item -> !item.isEmpty()).toList();
    }

    /** The string under the key checked as an HTTP header name. */
    public String headerName(String key, String defaultValue) {
        String value = string(key, defaultValue);
        if (!HEADER_NAME.matcher(value).matches()) {
            throw error(key, "expected an HTTP header name (letters, digits, '-'), got " + Names.quote(value));
        }
        return value;
    }

    /** The integer under the key within [min, max], or the default when absent. */
    public int integer(String key, int defaultValue, int min, int max) {
        return (int) longInteger(key, defaultValue, min, max);
    }

    /** The integer under the key within [min, max], or the default when absent. */
    public long longInteger(String key, long defaultValue, long min, long max) {
        JsonNode value = value(key);
        if (value == null) {
            return defaultValue;
        }
        String expected = "expected an integer between " + min + " and " + max;
        Long number = parseLong(value);
        if (number == null) {
            throw error(key, expected + ", got " + describe(value));
        }
        if (number < min || number > max) {
            throw error(key, expected + ", got " + number);
        }
        return number;
    }

    /** The boolean under the key ({@code true}/{@code false}, any case), or the default when absent. */
    public boolean bool(String key, boolean defaultValue) {
        JsonNode value = value(key);
        if (value == null) {
            return defaultValue;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        String text = value.isTextual() ? value.textValue().strip().toLowerCase(Locale.ROOT) : "";
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw error(key, "expected true or false, got " + describe(value));
        };
    }

    /** The enum constant whose lower-case name is under the key (any case), or the default when absent. */
    public <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
        Optional<String> text = string(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        Function<E, String> name = constant -> constant.name().toLowerCase(Locale.ROOT);
        return Arrays.stream(type.getEnumConstants())
                .filter(constant -> name.apply(constant).equals(text.get().strip().toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> error(key, "expected one of "
                        + Arrays.stream(type.getEnumConstants()).map(name).collect(Collectors.joining(", "))
                        + ", got " + Names.quote(text.get())));
    }

    /** A deep copy of this mapping as a Jackson tree, for readers that bind it to their own types. */
    public JsonNode tree() {
        return node.isMissingNode() ? JsonNodeFactory.instance.objectNode() : node.deepCopy();
    }

    /** Names the file and key path only: values may be secrets. */
    @Override
    public String toString() {
        return "ConfigNode[" + source + (path.isEmpty() ? "" : ": " + path) + "]";
    }

    private JsonNode value(String key) {
        asked.add(keyPath(key));
        JsonNode value = node.get(key);
        if (value == null || value.isNull() || value.isMissingNode() || (value.isTextual() && value.textValue().isEmpty())) {
            return null;
        }
        return value;
    }

    private static Long parseLong(JsonNode value) {
        if (value.isIntegralNumber()) {
            return value.canConvertToLong() ? value.longValue() : null;
        }
        if (value.isTextual()) {
            try {
                return Long.parseLong(value.textValue().strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String describe(JsonNode value) {
        if (value.isObject()) {
            return "a mapping";
        }
        if (value.isArray()) {
            return "a list";
        }
        return value.isTextual() ? Names.quote(value.textValue()) : value.asText();
    }
}
