package dev.orbit.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orbit.db.Names;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The keys of a configuration file that nothing reads, as start-up warnings: a typo ({@code genral:}) would
 * otherwise be ignored silently. What this version knows is what its readers asked for ({@link ConfigNode}
 * records it), so a new key is known as soon as a reader reads it. Keys of the reference ORBIT's
 * {@code config.yaml} that this version does not implement ({@code reference-only-keys.txt}, next to this
 * class) are not typos: they are listed once, together, as ignored.
 */
final class ConfigKeys {
    private static final String REFERENCE_ONLY_RESOURCE = "reference-only-keys.txt";
    private static final Set<String> REFERENCE_ONLY = load(REFERENCE_ONLY_RESOURCE);

    private ConfigKeys() {
    }

    /**
     * One line per unknown key of {@code tree} (with the closest known key, when one is close), then one line
     * listing the reference ORBIT's keys this version ignores. Below an unknown key nothing more is reported.
     *
     * @param known the full paths of the keys the readers asked for ({@link ConfigNode#askedKeys})
     */
    static List<String> warnings(String source, JsonNode tree, Set<String> known) {
        List<String> unknown = new ArrayList<>();
        Set<String> unsupported = new TreeSet<>();
        walk(tree, "", known, unknown, unsupported);
        List<String> lines = new ArrayList<>();
        for (String key : unknown) {
            lines.add(source + ": unknown key " + Names.quote(key) + " (ignored)" + suggestion(key, known));
        }
        if (!unsupported.isEmpty()) {
            lines.add(source + ": ignored (not supported by this version): " + String.join(", ", unsupported));
        }
        return List.copyOf(lines);
    }

    /** The reference ORBIT's keys that this version does not implement, as listed in the resource. */
    static Set<String> referenceOnly() {
        return REFERENCE_ONLY;
    }

    private static void walk(JsonNode node, String path, Set<String> known, List<String> unknown,
                             Set<String> unsupported) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", known, unknown, unsupported);
            }
            return;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = ConfigNode.join(path, field.getKey());
            if (known.contains(key)) {
                walk(field.getValue(), key, known, unknown, unsupported);
            } else if (REFERENCE_ONLY.contains(key.replaceAll("\\[\\d+]", "[]"))) {
                unsupported.add(key);
            } else {
                unknown.add(key);
            }
        }
    }

    /**
     * ": did you mean 'general.port'?" for the known key beside it whose name is closest (within a third of
     * its length), else the same name known elsewhere, else the keys known beside it.
     */
    private static String suggestion(String key, Set<String> known) {
        String parent = parent(key);
        String name = name(key);
        List<String> siblings = known.stream().filter(k -> parent(k).equals(parent)).sorted().toList();
        Optional<String> closest = siblings.stream()
                .min(Comparator.comparingInt(k -> distance(name, name(k))))
                .filter(k -> distance(name, name(k)) <= Math.max(1, name.length() / 3));
        if (closest.isEmpty()) {
            closest = known.stream().filter(k -> name(k).equals(name)).sorted().findFirst();
        }
        if (closest.isPresent()) {
            return ": did you mean " + Names.quote(closest.get()) + "?";
        }
        return siblings.isEmpty() ? "" : "; known keys " + (parent.isEmpty() ? "at the top" : "in " + parent) + ": "
                + siblings.stream().map(ConfigKeys::name).collect(Collectors.joining(", "));
    }

    private static String parent(String key) {
        int dot = key.lastIndexOf('.');
        return dot < 0 ? "" : key.substring(0, dot);
    }

    private static String name(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    /** Edits (insert, delete, replace, swap two neighbours) between two names, ignoring case. */
    static int distance(String a, String b) {
        String s = a.toLowerCase(Locale.ROOT);
        String t = b.toLowerCase(Locale.ROOT);
        int[][] d = new int[s.length() + 1][t.length() + 1];
        for (int i = 0; i <= s.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= t.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= s.length(); i++) {
            for (int j = 1; j <= t.length(); j++) {
                int cost = s.charAt(i - 1) == t.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && s.charAt(i - 1) == t.charAt(j - 2) && s.charAt(i - 2) == t.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[s.length()][t.length()];
    }

    /** Key paths, one a line; blank lines and {@code #} comments are skipped; {@code []} stands for any list index. */
    private static Set<String> load(String resource) {
        try (InputStream in = ConfigKeys.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource + " next to " + ConfigKeys.class);
            }
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                return lines.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                        .collect(Collectors.toUnmodifiableSet());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
