package dev.orbit.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orbit.db.DatabaseServiceFactory.Backend;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The checked, immutable gateway configuration. {@code raw} keeps the whole substituted tree for sections
 * read elsewhere; its {@code toString} shows no values, so neither does this one's.
 *
 * @param warnings one line each about keys of the file that nothing reads (see {@link ConfigKeys}), to be
 *                 logged once when the gateway starts
 * @param source   how to read this configuration again ({@code POST /admin/reload-adapters})
 */
public record OrbitConfig(Backend backend, AuthConfig auth, ApiKeysConfig apiKeys, ChatHistoryConfig chatHistory,
                          GeneralConfig general, HttpConfig http, AdaptersConfig adapters, ClientsConfig clients,
                          ConfigNode raw, List<String> warnings, ConfigSource source) {
    public OrbitConfig {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(apiKeys, "apiKeys");
        Objects.requireNonNull(chatHistory, "chatHistory");
        Objects.requireNonNull(general, "general");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(adapters, "adapters");
        Objects.requireNonNull(clients, "clients");
        Objects.requireNonNull(raw, "raw");
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(source, "source");
    }

    /** As {@link #read(ConfigNode, Path, JsonNode)}, with the warnings about the keys of {@code root} itself. */
    public static OrbitConfig read(ConfigNode root, Path home) {
        return read(root, home, root.tree());
    }

    /**
     * Reads and checks every section; relative paths are resolved against {@code home}. {@code file} is the
     * tree as written (before substitution, so that no key escapes the check by being absent): its keys that
     * no reader asked for become the {@link #warnings}.
     */
    public static OrbitConfig read(ConfigNode root, Path home, JsonNode file) {
        AuditConfig.read(root); // checked with the rest at start-up; the gateway reads it again from raw
        MonitoringConfig.read(root); // as the audit's
        LoggingConfig.read(root, home); // as the audit's; serve reads it again to set up logging
        LimitsConfig.read(root); // likewise
        OrbitConfig config = new OrbitConfig(
                BackendReader.read(root, home),
                AuthConfig.read(root.section("auth")),
                ApiKeysConfig.read(root.section("api_keys")),
                ChatHistoryConfig.read(root.section("chat_history")),
                GeneralConfig.read(root.section("general")),
                HttpConfig.read(root.section("http")),
                AdaptersConfig.read(root),
                ClientsConfig.read(root),
                root,
                List.of(),
                ConfigSource.NONE);
        return config.withWarnings(ConfigKeys.warnings(root.source(), file, root.askedKeys()));
    }

    /** This configuration on another database (the {@code --db URL} option of {@code serve}). */
    public OrbitConfig withBackend(Backend value) {
        return new OrbitConfig(value, auth, apiKeys, chatHistory, general, http, adapters, clients, raw, warnings,
                source);
    }

    public OrbitConfig withGeneral(GeneralConfig value) {
        return new OrbitConfig(backend, auth, apiKeys, chatHistory, value, http, adapters, clients, raw, warnings,
                source);
    }

    /** This configuration, to be read again from {@code value}. */
    public OrbitConfig withSource(ConfigSource value) {
        return new OrbitConfig(backend, auth, apiKeys, chatHistory, general, http, adapters, clients, raw, warnings,
                value);
    }

    private OrbitConfig withWarnings(List<String> value) {
        return new OrbitConfig(backend, auth, apiKeys, chatHistory, general, http, adapters, clients, raw, value,
                source);
    }
}
