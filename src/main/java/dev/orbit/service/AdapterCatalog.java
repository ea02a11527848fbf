package dev.orbit.service;

import dev.orbit.config.AdaptersConfig;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The adapters the configuration declares, as far as API keys need them: whether one exists and is enabled. */
@FunctionalInterface
public interface AdapterCatalog {
    Optional<Adapter> find(String name);

    /** One configured adapter. */
    record Adapter(String name, boolean enabled) {
    }

    /** A fixed catalog of these adapters. */
    static AdapterCatalog of(Collection<Adapter> adapters) {
        Map<String, Adapter> byName = new LinkedHashMap<>();
        adapters.forEach(a -> byName.put(a.name(), a));
        Map<String, Adapter> frozen = Map.copyOf(byName);
        return name -> name == null ? Optional.empty() : Optional.ofNullable(frozen.get(name));
    }

    /** The adapters of the configuration, as read and checked once by {@link AdaptersConfig}. */
    static AdapterCatalog fromConfig(AdaptersConfig config) {
        return of(config.adapters().stream().map(a -> new Adapter(a.name(), a.enabled())).toList());
    }

    /** A catalog of enabled adapters with these names. */
    static AdapterCatalog enabled(String... names) {
        return of(List.of(names).stream().map(n -> new Adapter(n, true)).toList());
    }
}
