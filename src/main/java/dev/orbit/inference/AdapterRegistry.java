package dev.orbit.inference;

import dev.orbit.config.AdapterCapabilities;
import dev.orbit.config.AdaptersConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The adapters in force by name, each with its provider, and what each tells chat clients about itself.
 * {@link #replace} puts a new set in force in one step ({@code POST /admin/reload-adapters}): a request that
 * found its adapter before keeps that adapter, provider included, until it ends; later lookups see the new set.
 */
public final class AdapterRegistry {
    /** One consistent set: never changed, only replaced whole. */
    private record Snapshot(Map<String, Adapter> byName, Map<String, AdapterCapabilities> capabilities) {
    }

    /**
     * What a reload changed: names added, removed and updated (configuration, provider settings or capabilities
     * differ), how many stayed as they were, and how many there are now.
     */
    public record Changes(List<String> added, List<String> removed, List<String> updated, int unchanged, int total) {
        public Changes {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
            updated = List.copyOf(updated);
        }
    }

    private final ProviderFactory providers;
    private volatile Snapshot current;

    private AdapterRegistry(ProviderFactory providers, Snapshot current) {
        this.providers = providers;
        this.current = current;
    }

    /** Builds every adapter's provider through {@code providers} (which the caller closes at shutdown). */
    public static AdapterRegistry create(AdaptersConfig config, ProviderFactory providers) {
        return create(config, Map.of(), providers);
    }

    /** As above, with each adapter's capabilities ({@code ClientsConfig}). */
    public static AdapterRegistry create(AdaptersConfig config, Map<String, AdapterCapabilities> capabilities,
                                         ProviderFactory providers) {
        return new AdapterRegistry(providers, snapshot(config, capabilities, providers));
    }

    /**
     * Puts these adapters in force instead of the current ones, all at once, and says what changed. Providers are
     * built before anything changes; ones no adapter uses any more stay open until the gateway stops (a request
     * may still be using them).
     */
    public synchronized Changes replace(AdaptersConfig config, Map<String, AdapterCapabilities> capabilities) {
        Snapshot before = current;
        Snapshot after = snapshot(config, capabilities, providers);
        current = after;
        return changes(before, after);
    }

    /** The adapter with this name, enabled or not. */
    public Optional<Adapter> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(current.byName().get(name));
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
        return List.copyOf(current.byName().values());
    }

    /** What the adapter of this name tells chat clients; none for an adapter without a capabilities section. */
    public AdapterCapabilities capabilities(String name) {
        return name == null ? AdapterCapabilities.NONE
                : current.capabilities().getOrDefault(name, AdapterCapabilities.NONE);
    }

    private static Snapshot snapshot(AdaptersConfig config, Map<String, AdapterCapabilities> capabilities,
                                     ProviderFactory providers) {
        Map<String, Adapter> byName = new LinkedHashMap<>();
        config.adapters().forEach(a -> byName.put(a.name(), new Adapter(a, providers.provider(a, config))));
        return new Snapshot(java.util.Collections.unmodifiableMap(byName), Map.copyOf(capabilities));
    }

    private static Changes changes(Snapshot before, Snapshot after) {
        List<String> added = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        int unchanged = 0;
        for (Adapter adapter : after.byName().values()) {
            Adapter old = before.byName().get(adapter.name());
            if (old == null) {
                added.add(adapter.name());
            } else if (!old.config().equals(adapter.config()) || old.provider() != adapter.provider()
                    || !Objects.equals(before.capabilities().get(adapter.name()),
                            after.capabilities().get(adapter.name()))) {
                updated.add(adapter.name()); // providers with equal settings are one instance, so != means changed
            } else {
                unchanged++;
            }
        }
        Set<String> removed = new LinkedHashSet<>(before.byName().keySet());
        removed.removeAll(after.byName().keySet());
        return new Changes(added, List.copyOf(removed), updated, unchanged, after.byName().size());
    }
}
