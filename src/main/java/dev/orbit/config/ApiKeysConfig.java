package dev.orbit.config;

/**
 * The {@code api_keys} section.
 *
 * @param headerName the request header that carries the API key
 * @param prefix     the prefix of newly created keys
 */
public record ApiKeysConfig(String headerName, String prefix) {
    /** Reads and checks the section. */
    public static ApiKeysConfig read(ConfigNode apiKeys) {
        return new ApiKeysConfig(apiKeys.headerName("header_name", "X-API-Key"), apiKeys.string("prefix", "orbit_"));
    }
}
