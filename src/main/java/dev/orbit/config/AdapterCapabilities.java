package dev.orbit.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an adapter tells chat clients about itself, from its {@code capabilities} section and its
 * {@code allowed_models} list (the reference ORBIT's keys). Read beside {@link AdaptersConfig} from the same
 * {@code adapters} entries; an adapter that sets none has every flag false and no model restriction.
 *
 * @param supportsFileIds       {@code capabilities.supports_file_ids}: the chat app offers uploads
 * @param supportsThreading     {@code capabilities.supports_threading}: the chat app offers follow-up threads
 * @param supportsRealtimeAudio {@code capabilities.supports_realtime_audio}: the chat app offers live voice
 * @param allowedModels         models of the adapter's provider a client may pick; empty = only the adapter's own
 */
public record AdapterCapabilities(boolean supportsFileIds, boolean supportsThreading, boolean supportsRealtimeAudio,
                                  List<String> allowedModels) {
    public static final AdapterCapabilities NONE = new AdapterCapabilities(false, false, false, List.of());

    public AdapterCapabilities {
        allowedModels = List.copyOf(Objects.requireNonNull(allowedModels, "allowedModels"));
    }

    /** Every adapter's capabilities by name, checked (a flag that is not a boolean stops start-up). */
    public static Map<String, AdapterCapabilities> readAll(ConfigNode root) {
        Map<String, AdapterCapabilities> out = new HashMap<>();
        for (ConfigNode entry : root.sectionList("adapters")) {
            ConfigNode caps = entry.section("capabilities");
            List<String> models = entry.stringList("allowed_models").stream().distinct().toList();
            out.put(entry.requiredString("name").strip(), new AdapterCapabilities(caps.bool("supports_file_ids", false),
                    caps.bool("supports_threading", false), caps.bool("supports_realtime_audio", false), models));
        }
        return Map.copyOf(out);
    }
}
