package dev.orbit.inference;

import dev.orbit.config.AdaptersConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The configured adapters by name, each with its provider built once at start-up. */
public final class AdapterRegistry {
    private final Map<String, Adapter> byName;

    private AdapterRegistry(Map<String, Adapter> byName) {
        this.byName = byName;
    }

    /** Builds every adapter's provider through {@code providers} (which the caller closes at shutdown). */
    public static AdapterRegistry create(AdaptersConfig config, ProviderFactory providers) {
        Map<String, Adapter> byName = new LinkedHashMap<>();
        config.adapters().forEach(a -> byName.put(a.name(), new Adapter(a, providers.provider(a, config))));
        return new AdapterRegistry(byName);
    }

    /** The adapter with this name, enabled or not. */
    public Optional<Adapter> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byName.get(name));
    }

    /** The adapter with this name if it exists and is enabled: the one a chat request may use. */
    public Optional<Adapter> findEnabled(String name) {
        return find(name).filter(Adapter::enabled);
    }

    /** Whether an adapter with this name exists and is enabled. */
    public boolean isEnabled(String name) {
        return findEnabled(name).isPresent();
    }

    /** Every adapter, in configuration order (for {@code orbit key list-adapters}). */
    public List<Adapter> list() {
        return List.copyOf(byName.values());
    }
}
