package dev.orbit.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What the gateway tells chat clients about its adapters and how long their conversation threads live: each
 * adapter's {@code capabilities} and {@code allowed_models}, and {@code conversation_threading.dataset_ttl_hours}
 * (the reference's key, default 24).
 */
public record ClientsConfig(Map<String, AdapterCapabilities> capabilities, Duration threadTtl) {
    public static final Duration DEFAULT_THREAD_TTL = Duration.ofHours(24);

    public ClientsConfig {
        capabilities = Map.copyOf(Objects.requireNonNull(capabilities, "capabilities"));
        Objects.requireNonNull(threadTtl, "threadTtl");
    }

    static ClientsConfig read(ConfigNode root) {
        Duration threadTtl = Duration.ofHours(root.section("conversation_threading")
                .integer("dataset_ttl_hours", (int) DEFAULT_THREAD_TTL.toHours(), 1, 24 * 365));
        return new ClientsConfig(AdapterCapabilities.readAll(root), threadTtl);
    }

    /** The capabilities of the adapter of this name; none for an adapter the configuration does not describe. */
    public AdapterCapabilities of(String adapterName) {
        return capabilities.getOrDefault(adapterName, AdapterCapabilities.NONE);
    }
}
