package dev.orbit.config;

import dev.orbit.db.Names;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The {@code adapters} list and the {@code inference} section that says how to reach each HTTP provider.
 *
 * @param ollama   {@code inference.ollama}
 * @param openai   {@code inference.openai} (any OpenAI-compatible server)
 * @param adapters in file order; names are unique
 */
public record AdaptersConfig(ProviderSettings ollama, ProviderSettings openai, List<AdapterConfig> adapters) {
    public static final String DEFAULT_OLLAMA_URL = "http://localhost:11434";
    public static final String DEFAULT_OPENAI_URL = "https://api.openai.com/v1";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(120);
    static final double MAX_TEMPERATURE = 2.0;
    static final int MAX_TOKENS = 10_000_000;
    static final int MAX_CONNECT_TIMEOUT_MS = 600_000;
    static final int MAX_REQUEST_TIMEOUT_MS = 3_600_000;
    static final int MIN_CONTEXT_WINDOW = 256;
    static final int MAX_CONTEXT_WINDOW = 10_000_000;

    public AdaptersConfig {
        Objects.requireNonNull(ollama, "ollama");
        Objects.requireNonNull(openai, "openai");
        adapters = List.copyOf(adapters);
    }

    /** Reads and checks {@code inference} and {@code adapters} from the top of the configuration. */
    public static AdaptersConfig read(ConfigNode root) {
        ConfigNode inference = root.section("inference");
        return new AdaptersConfig(
                provider(inference.section("ollama"), DEFAULT_OLLAMA_URL),
                provider(inference.section("openai"), DEFAULT_OPENAI_URL),
                adapters(root, inference));
    }

    /** The adapter with this name. */
    public Optional<AdapterConfig> find(String name) {
        return adapters.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /** The settings of an HTTP provider ({@code ollama} or {@code openai}) before any adapter's overrides. */
    public ProviderSettings settings(InferenceProviderType type) {
        return switch (type) {
            case OLLAMA -> ollama;
            case OPENAI -> openai;
            case MOCK -> throw new IllegalArgumentException("the mock provider has no settings");
        };
    }

    private static ProviderSettings provider(ConfigNode section, String defaultUrl) {
        return new ProviderSettings(
                url(section, "base_url").orElseGet(() -> URI.create(defaultUrl)),
                section.string("api_key").map(Secret::new),
                Duration.ofMillis(section.integer("connect_timeout_ms", (int) DEFAULT_CONNECT_TIMEOUT.toMillis(),
                        1, MAX_CONNECT_TIMEOUT_MS)),
                Duration.ofMillis(section.integer("request_timeout_ms", (int) DEFAULT_REQUEST_TIMEOUT.toMillis(),
                        1, MAX_REQUEST_TIMEOUT_MS)));
    }

    private static List<AdapterConfig> adapters(ConfigNode root, ConfigNode inference) {
        // The reference ORBIT reads a model's context window from its provider's section: Ollama's num_ctx,
        // otherwise context_window. An adapter's own context_window wins (different models, one provider).
        Map<InferenceProviderType, OptionalInt> providerWindows = Map.of(
                InferenceProviderType.OLLAMA, contextWindow(inference.section("ollama"), "num_ctx", "context_window"),
                InferenceProviderType.OPENAI, contextWindow(inference.section("openai"), "context_window"),
                InferenceProviderType.MOCK, OptionalInt.empty());
        List<AdapterConfig> adapters = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (ConfigNode entry : root.sectionList("adapters")) {
            AdapterConfig adapter = adapter(entry, providerWindows);
            String previous = seen.putIfAbsent(adapter.name(), entry.path());
            if (previous != null) {
                throw entry.error("name", "duplicate adapter name " + Names.quote(adapter.name())
                        + " (already used by " + previous + ")");
            }
            adapters.add(adapter);
        }
        return adapters;
    }

    /** The first of {@code keys} the section sets, as a context window size. */
    private static OptionalInt contextWindow(ConfigNode section, String... keys) {
        // Every key is asked for, not just up to the first one set: a later one is known, not a typo (ConfigKeys).
        List<String> set = Arrays.stream(keys).filter(section::has).toList();
        return set.isEmpty() ? OptionalInt.empty()
                : OptionalInt.of(section.integer(set.getFirst(), 0, MIN_CONTEXT_WINDOW, MAX_CONTEXT_WINDOW));
    }

    private static AdapterConfig adapter(ConfigNode entry, Map<InferenceProviderType, OptionalInt> providerWindows) {
        String name = entry.requiredString("name").strip();
        if (name.isEmpty()) {
            throw entry.error("name", "must not be blank");
        }
        String model = entry.requiredString("model").strip();
        if (model.isEmpty()) {
            throw entry.error("model", "must not be blank");
        }
        InferenceProviderType provider =
                entry.choice("inference_provider", InferenceProviderType.class, InferenceProviderType.OLLAMA);
        OptionalInt window = contextWindow(entry, "context_window");
        return new AdapterConfig(
                name,
                entry.bool("enabled", true),
                provider,
                model,
                temperature(entry),
                entry.has("max_tokens") ? OptionalInt.of(entry.integer("max_tokens", 0, 1, MAX_TOKENS)) : OptionalInt.empty(),
                url(entry, "base_url"),
                entry.string("api_key").map(Secret::new),
                entry.has("request_timeout_ms")
                        ? Optional.of(Duration.ofMillis(entry.integer("request_timeout_ms", 0, 1, MAX_REQUEST_TIMEOUT_MS)))
                        : Optional.empty(),
                window.isPresent() ? window : providerWindows.get(provider));
    }

    private static OptionalDouble temperature(ConfigNode entry) {
        Optional<String> text = entry.string("temperature");
        if (text.isEmpty()) {
            return OptionalDouble.empty();
        }
        String expected = "expected a number between 0 and 2, got " + Names.quote(text.get());
        double value;
        try {
            value = Double.parseDouble(text.get().strip());
        } catch (NumberFormatException e) {
            throw entry.error("temperature", expected);
        }
        // NaN fails both comparisons, so it is refused too.
        if (!(value >= 0 && value <= MAX_TEMPERATURE)) {
            throw entry.error("temperature", expected);
        }
        return OptionalDouble.of(value);
    }

    private static Optional<URI> url(ConfigNode section, String key) {
        Optional<String> text = section.string(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String value = text.get().strip();
        String expected = "expected an http:// or https:// URL";
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw section.error(key, expected + ", got " + Names.quote(value));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                || uri.getQuery() != null || uri.getFragment() != null) {
            throw section.error(key, expected + " without query or fragment, got " + Names.quote(value));
        }
        // Paths are appended to the base URL, so "http://h/v1/" and "http://h/v1" must mean the same.
        return Optional.of(URI.create(value.replaceAll("/+$", "")));
    }
}
