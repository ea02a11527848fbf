package dev.orbit.service;

import java.util.Objects;
import java.util.Optional;

/**
 * The catalog the API key service asks: the configuration's adapters until the gateway points it at the adapters
 * in force ({@link ServiceFactory#followAdapters}), so that a reload changes what keys may use in the same step
 * as what chat calls.
 */
final class FollowingAdapterCatalog implements AdapterCatalog {
    private volatile AdapterCatalog current;

    FollowingAdapterCatalog(AdapterCatalog initial) {
        this.current = Objects.requireNonNull(initial, "initial");
    }

    @Override
    public Optional<Adapter> find(String name) {
        return current.find(name);
    }

    void follow(AdapterCatalog live) {
        current = Objects.requireNonNull(live, "live");
    }
}
