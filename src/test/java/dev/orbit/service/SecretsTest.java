package dev.orbit.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * SHA-256 of secrets against published known answers (FIPS 180-2 examples) and values computed outside this
 * code ({@code python3 -c "import hashlib; print(hashlib.sha256('...'.encode()).hexdigest())"}), so a change
 * of algorithm, encoding or hex case cannot pass by checking the code against itself.
 */
class SecretsTest {
    @Test
    void sha256_hex_matches_the_published_known_answers() {
        assertThat(Secrets.sha256Hex(""))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(Secrets.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Secrets.sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))
                .isEqualTo("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    }

    @Test
    void sha256_hex_hashes_the_utf8_bytes() {
        // python3: hashlib.sha256('clé-🔑-ключ'.encode('utf-8')).hexdigest()
        assertThat(Secrets.sha256Hex("clé-🔑-ключ"))
                .isEqualTo("76fee4c28f3ea9ecd2dbb0848cf79b8cb2ebc2b5742b5bc35e5bd1b5f8df2455");
    }

    @Test
    void the_stored_form_is_the_prefix_and_the_lower_case_hex() {
        assertThat(Secrets.storedHash("abc"))
                .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void chat_history_knows_a_key_by_the_sha256_of_its_text() {
        ApiKeyFingerprint fingerprint = ApiKeyFingerprint.of("orbit_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        assertThat(fingerprint.sha256()).isEqualTo("c2351691c21eaeb1bda74bc377d893ed1d36820aede08c946ae722545e36f721");
        assertThat(fingerprint.masked()).isEqualTo("...AAAAAA");
    }
}
