package dev.orbit.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private static PasswordHasher hasher(int iterations, int legacyIterations) {
        return new PasswordHasher(new PasswordSettings(iterations, legacyIterations, 1, 16));
    }

    @Test
    void pbkdf2_matches_the_published_hmac_sha256_test_vector() {
        byte[] key = PasswordHasher.pbkdf2("password", "salt".getBytes(), 1, 32);
        assertThat(HexFormat.of().formatHex(key))
                .isEqualTo("120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b");
    }

    @Test
    void a_new_hash_carries_scheme_rounds_and_salt_and_verifies_only_its_password() {
        try (PasswordHasher hasher = hasher(1_000, 1_000)) {
            String hash = hasher.hash("correct horse");
            assertThat(hash).startsWith("pbkdf2-sha256$1000$");
            assertThat(hasher.hash("correct horse")).as("salted").isNotEqualTo(hash);
            assertThat(hasher.verify("correct horse", hash)).isEqualTo(new PasswordHasher.Verification(true, false));
            assertThat(hasher.verify("correct horsE", hash).matches()).isFalse();
        }
    }

    @Test
    void a_hash_with_fewer_rounds_than_configured_matches_and_asks_for_a_rehash() {
        String weak;
        try (PasswordHasher old = hasher(1_000, 1_000)) {
            weak = old.hash("pw-12345678");
        }
        try (PasswordHasher stronger = hasher(5_000, 1_000)) {
            assertThat(stronger.verify("pw-12345678", weak)).isEqualTo(new PasswordHasher.Verification(true, true));
            assertThat(stronger.verify("wrong", weak)).isEqualTo(PasswordHasher.Verification.NO_MATCH);
        }
    }

    @Test
    void the_references_legacy_form_verifies_with_the_configured_rounds_and_asks_for_a_rehash() {
        try (PasswordHasher hasher = hasher(2_000, 1_000)) {
            assertThat(hasher.verify(AuthServiceTest.LEGACY_PASSWORD, AuthServiceTest.LEGACY_HASH))
                    .isEqualTo(new PasswordHasher.Verification(true, true));
            assertThat(hasher.verify("legacy-Pass1", AuthServiceTest.LEGACY_HASH).matches()).isFalse();
        }
        try (PasswordHasher otherRounds = hasher(2_000, 1_001)) {
            assertThat(otherRounds.verify(AuthServiceTest.LEGACY_PASSWORD, AuthServiceTest.LEGACY_HASH).matches()).isFalse();
        }
    }

    @Test
    void stored_values_of_no_known_form_match_nothing_and_do_not_throw() {
        try (PasswordHasher hasher = hasher(1_000, 1_000)) {
            for (String stored : new String[] {null, "", "plaintext-password", "pbkdf2-sha256$x$AA$AA",
                    "pbkdf2-sha256$1000$$", "pbkdf2-sha256$0$AAAA$AAAA", "pbkdf2-sha256$1000$AAAA", "!!!notbase64",
                    java.util.Base64.getEncoder().encodeToString(new byte[47])}) {
                assertThat(hasher.verify("anything-1", stored)).as(String.valueOf(stored))
                        .isEqualTo(PasswordHasher.Verification.NO_MATCH);
            }
        }
    }

    @Test
    void hashing_beyond_the_threads_and_queue_is_refused_with_429_instead_of_piling_up() throws Exception {
        try (PasswordHasher hasher = new PasswordHasher(new PasswordSettings(1_000_000, 1_000, 1, 1))) {
            List<String> outcomes = AuthServiceTest.concurrently(8, () -> {
                try {
                    return hasher.hash("pw-12345678");
                } catch (ServiceException.TooManyRequests refused) {
                    assertThat(refused.retryAfterSeconds()).isEqualTo(1);
                    return null;
                }
            });
            long done = outcomes.stream().filter(Objects::nonNull).count();
            assertThat(done).isBetween(1L, 7L);
        }
    }

    @Test
    void settings_refuse_values_out_of_range_naming_the_setting() {
        assertThatThrownBy(() -> new PasswordSettings(0, 1, 1, 1)).hasMessageContaining("password iterations");
        assertThatThrownBy(() -> new PasswordSettings(1, 1, 0, 1)).hasMessageContaining("threads");
        assertThat(PasswordSettings.defaults(1_000).iterations()).isEqualTo(600_000);
        assertThat(PasswordSettings.defaults(900_000).iterations()).isEqualTo(900_000);
    }
}
