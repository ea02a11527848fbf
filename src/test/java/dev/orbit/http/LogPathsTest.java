package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogPathsTest {
    private static final String KEY = "orbit_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6";
    private final LogPaths prefixed = new LogPaths("orbit_");
    private final LogPaths unprefixed = new LogPaths("");

    @Test
    void aRoutesPlainNameIsLoggedAsItIsWithoutBeingRebuilt() {
        for (String path : new String[] {"/v1/chat", "/v1/chat/completions", "/health", "/admin/users/u-1.x_y", "/"}) {
            assertThat(prefixed.safe(path)).isSameAs(path);
        }
        // An api-keys segment takes the whole way, which gives a path without a key unchanged too.
        assertThat(prefixed.safe("/admin/api-keys")).isEqualTo("/admin/api-keys");
    }

    @Test
    void aKeyIsMaskedHoweverPlainThePathLooks() {
        String masked = prefixed.safe("/admin/api-keys/" + KEY);
        assertThat(masked).doesNotContain(KEY).startsWith("/admin/api-keys/").endsWith(KEY.substring(KEY.length() - 4));
        assertThat(prefixed.safe("/ADMIN/API-KEYS/something")).doesNotContain("something");
        assertThat(prefixed.safe("/v1/" + KEY + "/x")).doesNotContain(KEY).endsWith("/x");
        assertThat(prefixed.safe("/v1/ORBIT_" + KEY.substring(6))).doesNotContain(KEY.substring(6));
        String bare = KEY.substring(6);
        assertThat(unprefixed.safe("/admin/x/" + bare)).doesNotContain(bare);
        // Spellings only the whole way resolves still get there.
        assertThat(prefixed.safe("/admin/api%2Dkeys/secret")).doesNotContain("secret");
        assertThat(prefixed.safe("/admin/api-keys;a=b/secret")).doesNotContain("secret");
        assertThat(prefixed.safe("/admin/api-keys/x/../secret")).doesNotContain("secret");
    }

    @Test
    void aPathThatIsNotPlainIsMadePrintableAndShort() {
        assertThat(prefixed.safe("/a\nb\tc")).isEqualTo("/a?b?c");
        String longPath = "/" + "a".repeat(300);
        assertThat(prefixed.safe(longPath)).hasSize(203).endsWith("...");
        assertThat(prefixed.safe("/" + "a".repeat(199))).hasSize(200);
    }
}
