package dev.orbit.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.orbit.db.Names;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in string values with environment variables.
 *
 * <p>A variable set to the empty string counts as unset, as with the shell's {@code :-}. A value that
 * refers to an unset variable without a default, or that substitutes to the empty string, is absent:
 * its key is dropped, so the built-in default applies. {@code $${} stands for a literal {@code ${}.
 * Defaults are literal text up to the first {@code }}; they are not substituted again.
 */
public final class EnvSubstitution {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String DEFAULT_SEPARATOR = ":-";

    private final Map<String, String> env;

    /** Substitution from this environment (copied; tests pass their own map instead of the process's). */
    public EnvSubstitution(Map<String, String> env) {
        this.env = new HashMap<>(env);
    }

    /**
     * The text with every reference replaced, or empty when the value is absent (see class comment).
     *
     * @throws IllegalArgumentException if a reference is malformed
     */
    public Optional<String> substitute(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated '${' at character " + (i + 1));
                }
                Optional<String> value = resolve(text.substring(i + 2, end));
                if (value.isEmpty()) {
                    return Optional.empty();
                }
                out.append(value.get());
                i = end + 1;
            } else {
                out.append(text.charAt(i++));
            }
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(out.toString());
    }

    /**
     * A copy of the tree with every string substituted and absent values removed (from mappings and lists).
     *
     * @throws ConfigException naming the key of a malformed reference
     */
    public JsonNode substitute(JsonNode tree, String source) {
        return substitute(tree, "", source).orElseGet(JsonNodeFactory.instance::objectNode);
    }

    private Optional<JsonNode> substitute(JsonNode node, String path, String source) {
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.properties().forEach(field -> substitute(field.getValue(), ConfigNode.join(path, field.getKey()), source)
                    .ifPresent(value -> copy.set(field.getKey(), value)));
            return Optional.of(copy);
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < node.size(); i++) {
                substitute(node.get(i), path + "[" + i + "]", source).ifPresent(copy::add);
            }
            return Optional.of(copy);
        }
        if (node.isTextual()) {
            try {
                return substitute(node.textValue()).map(TextNode::valueOf);
            } catch (IllegalArgumentException e) {
                throw ConfigException.at(source, path, e.getMessage());
            }
        }
        return node.isNull() ? Optional.empty() : Optional.of(node.deepCopy());
    }

    private Optional<String> resolve(String reference) {
        int separator = reference.indexOf(DEFAULT_SEPARATOR);
        String name = separator < 0 ? reference : reference.substring(0, separator);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid variable reference " + Names.quote("${" + reference + "}")
                    + ", expected ${NAME} or ${NAME:-default}");
        }
        String value = env.get(name);
        if (value != null && !value.isEmpty()) {
            return Optional.of(value);
        }
        return separator < 0 ? Optional.empty() : Optional.of(reference.substring(separator + DEFAULT_SEPARATOR.length()));
    }
}
