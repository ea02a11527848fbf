package dev.orbit.config;

import dev.orbit.db.DatabaseServiceFactory.Backend;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The checked, immutable gateway configuration. {@code raw} keeps the whole substituted tree for sections
 * read elsewhere; its {@code toString} shows no values, so neither does this one's.
 */
public record OrbitConfig(Backend backend, AuthConfig auth, ApiKeysConfig apiKeys, ChatHistoryConfig chatHistory,
                          GeneralConfig general, HttpConfig http, AdaptersConfig adapters, ConfigNode raw) {
    public OrbitConfig {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(apiKeys, "apiKeys");
        Objects.requireNonNull(chatHistory, "chatHistory");
        Objects.requireNonNull(general, "general");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(adapters, "adapters");
        Objects.requireNonNull(raw, "raw");
    }

    /** Reads and checks every section; relative paths are resolved against {@code home}. */
    public static OrbitConfig read(ConfigNode root, Path home) {
        AuditConfig.read(root); // checked with the rest at start-up; the gateway reads it again from raw
        return new OrbitConfig(
                BackendReader.read(root, home),
                AuthConfig.read(root.section("auth")),
                ApiKeysConfig.read(root.section("api_keys")),
                ChatHistoryConfig.read(root.section("chat_history")),
                GeneralConfig.read(root.section("general")),
                HttpConfig.read(root.section("http")),
                AdaptersConfig.read(root),
                root);
    }

    /** This configuration on another database (the {@code --db URL} option of {@code serve}). */
    public OrbitConfig withBackend(Backend value) {
        return new OrbitConfig(value, auth, apiKeys, chatHistory, general, http, adapters, raw);
    }

    public OrbitConfig withGeneral(GeneralConfig value) {
        return new OrbitConfig(backend, auth, apiKeys, chatHistory, value, http, adapters, raw);
    }
}
