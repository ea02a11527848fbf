package dev.orbit.service;

import static dev.orbit.db.Filters.all;
import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.OrbitSchema.API_KEYS;
import static dev.orbit.db.OrbitSchema.SESSIONS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Secrets as other software stored them, read by the services: the reference ORBIT's plaintext API keys and
 * session tokens, and their {@code sha256:<hex>} forms. Every hash here was computed outside this code
 * ({@code python3 -c "import hashlib; print(hashlib.sha256('...'.encode()).hexdigest())"}), so the services
 * are checked against SHA-256 of the UTF-8 text, not against their own helper. The hashing does not depend on
 * the backend, so SQLite alone is enough.
 */
class StoredSecretsTest extends ServiceTestBase {
    private static final String REFERENCE_KEY = "orbit_LegacyPlaintextKey0000000000abcd";
    private static final String REFERENCE_KEY_SHA256 = "2c1029f4f647acdf522396538cc9ad55d2d4b8e856f803a1fbbd993984109bc1";
    private static final String NON_ASCII_KEY = "reference-plain-key-ü";
    private static final String NON_ASCII_KEY_SHA256 = "0e2dad235d3e53ab41683eadd37bd7132fc945067f778df3387fbf7749dc6c7b";
    private static final String REFERENCE_TOKEN = "ab".repeat(32);
    private static final String REFERENCE_TOKEN_SHA256 = "271a413bd339c5709fdceaec41f14f11e9fbfb5042d72d331c65f32b284cd09a";
    private static final String TOKEN = "0123456789abcdef".repeat(4);
    private static final String TOKEN_SHA256 = "a8ae6e6ee929abea3afcfc5258c8ccd6f85273e0d4626d26c7279f3250f77c8e";

    private ApiKeyService keys;
    private AuthService auth;
    private User alice;

    @Override
    protected DatabaseService openDatabase(Path dir) {
        return TestDatabases.sqlite(dir);
    }

    @BeforeEach
    void createServices() {
        keys = apiKeyService(db(), promptService(db()));
        auth = authService(db(), authSettings());
        auth.bootstrap();
        alice = auth.register(auth.userByUsername("admin"), "alice", "pass-alice", null, null);
    }

    @Test
    void a_plaintext_key_stored_by_the_reference_works_and_is_rewritten_as_its_sha256() {
        String id = insertKey(REFERENCE_KEY);

        assertThat(keys.validate(REFERENCE_KEY, CallerIdentity.NONE).key().id()).isEqualTo(id);

        assertThat(storedKey(id)).isEqualTo("sha256:" + REFERENCE_KEY_SHA256);
        assertThat(keys.validate(REFERENCE_KEY, CallerIdentity.NONE).fingerprint().sha256())
                .isEqualTo(REFERENCE_KEY_SHA256);
    }

    @Test
    void a_non_ascii_plaintext_key_is_rewritten_as_the_sha256_of_its_utf8_bytes() {
        String id = insertKey(NON_ASCII_KEY);

        keys.validate(NON_ASCII_KEY, CallerIdentity.NONE);

        assertThat(storedKey(id)).isEqualTo("sha256:" + NON_ASCII_KEY_SHA256);
    }

    @Test
    void a_key_stored_as_its_sha256_is_found_by_the_key() {
        String id = insertKey("sha256:" + REFERENCE_KEY_SHA256);

        assertThat(keys.validate(REFERENCE_KEY, CallerIdentity.NONE).key().id()).isEqualTo(id);
    }

    @Test
    void a_plaintext_session_token_stored_by_the_reference_works_and_is_rewritten_as_its_sha256() {
        insertSession(REFERENCE_TOKEN);

        assertThat(auth.authenticate(REFERENCE_TOKEN).id()).isEqualTo(alice.id());

        assertThat(db().findOne(SESSIONS, eq("user_id", alice.id())).orElseThrow().getString("token"))
                .isEqualTo("sha256:" + REFERENCE_TOKEN_SHA256);
    }

    @Test
    void a_session_stored_as_the_sha256_of_its_token_is_found_by_the_token() {
        insertSession("sha256:" + TOKEN_SHA256);

        assertThat(auth.authenticate(TOKEN).id()).isEqualTo(alice.id());
    }

    private String insertKey(String stored) {
        return db().insertOne(API_KEYS, Document.of("api_key", stored, "client_name", "old client", "active", true,
                "created_at", Instant.parse("2024-05-01T00:00:00Z"), "adapter_name", "chat"));
    }

    private String storedKey(String id) {
        return db().findOne(API_KEYS, eq("_id", id)).orElseThrow().getString("api_key");
    }

    private void insertSession(String stored) {
        assertThat(db().count(SESSIONS, all())).isZero();
        db().insertOne(SESSIONS, Document.of("token", stored, "user_id", alice.id(), "username", "alice",
                "expires", clock.instant().plus(Duration.ofHours(1)), "created_at", clock.instant()));
    }
}
