package dev.orbit.db;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** The set of collections a database service knows; any other collection name is refused. */
public final class Schema {
    private final Map<String, CollectionSpec> collections;

    private Schema(Map<String, CollectionSpec> collections) {
        this.collections = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(collections));
    }

    public static Schema of(CollectionSpec... specs) {
        return new Schema(Map.of()).with(specs);
    }

    /** A schema with these collections added (tests and extensions declare their own). */
    public Schema with(CollectionSpec... specs) {
        Map<String, CollectionSpec> all = new LinkedHashMap<>(collections);
        for (CollectionSpec spec : specs) {
            if (all.putIfAbsent(spec.name(), spec) != null) {
                throw new IllegalArgumentException("collection " + spec.name() + " declared twice");
            }
        }
        return new Schema(all);
    }

    /** The declared collection, or an {@link InvalidQueryException}. */
    public CollectionSpec collection(String name) {
        CollectionSpec spec = name == null ? null : collections.get(name);
        if (spec == null) {
            throw new InvalidQueryException("unknown collection " + Names.quote(name));
        }
        return spec;
    }

    public boolean contains(String name) {
        return collections.containsKey(name);
    }

    public Collection<CollectionSpec> collections() {
        return collections.values();
    }
}
