package dev.orbit.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactorTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "mongodb://orbit:hunter22@db:27017/orbit | mongodb://orbit:****@db:27017/orbit",
            "mongodb+srv://orbit:p%40ss%2Fword@cluster0.mongodb.net/orbit | mongodb+srv://orbit:****@cluster0.mongodb.net/orbit",
            "mongodb://orbit:p@ss/w@rd@db/orbit | mongodb://orbit:****@db/orbit",
            "mongodb://orbit@db/orbit | mongodb://orbit@db/orbit",
            "mongodb://db/orbit?appName=a@b | mongodb://db/orbit?appName=a@b",
            "mongodb://db/?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:abc123"
                    + " | mongodb://db/?authMechanism=MONGODB-AWS&authMechanismProperties=****",
            "sqlite:/srv/orbit/orbit.db | sqlite:/srv/orbit/orbit.db"})
    void maskHidesThePasswordAndSecretOptionsOfAUrl(String url, String masked) {
        assertThat(Redactor.mask(url)).isEqualTo(masked);
    }

    @Test
    void aRedactorBlanksOutTheSecretsOfTheUrlsItHasSeenWhereverTheyShowUp() {
        Redactor redactor = new Redactor();
        redactor.remember("mongodb://orbit:p%40ssword@db/orbit");
        redactor.rememberSecret("configured-Secret");

        assertThat(redactor.apply("auth failed for p@ssword and p%40ssword; also configured-Secret"))
                .isEqualTo("auth failed for **** and ****; also ****");
    }

    @Test
    void veryShortPasswordsAreMaskedInUrlsButNotBlankedOutOfOrdinaryText() {
        Redactor redactor = new Redactor();
        assertThat(redactor.remember("mongodb://u:ab@db/orbit")).isEqualTo("mongodb://u:****@db/orbit");
        assertThat(redactor.apply("table abc")).isEqualTo("table abc");
    }
}
