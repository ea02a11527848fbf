package dev.orbit.db.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.db.OrbitSchema;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How the connection string is built from the options, and that no password ever shows. */
class MongoTargetTest {
    private static MongoOptions hostOptions(String host, int port, String username, String password) {
        return new MongoOptions(null, host, port, "orbit", username, password, Map.of(), Duration.ofSeconds(2));
    }

    @Test
    void hostAndPortMakeAPlainConnectionString() {
        MongoTarget target = MongoTarget.of(hostOptions("db.internal", 27018, null, null));
        assertThat(target.connectionString().getConnectionString()).isEqualTo("mongodb://db.internal:27018/");
        assertThat(target.hosts()).isEqualTo("db.internal:27018");
        assertThat(target.describe()).isEqualTo("mongodb db.internal:27018/orbit");
    }

    @Test
    void credentialsAreUrlEscapedWithSpacesAsPercent20() {
        String password = "p@ss:w/rd +%?#[]&=é";
        MongoTarget target = MongoTarget.of(hostOptions("localhost", 27017, "ad min@corp", password));
        String uri = target.connectionString().getConnectionString();
        assertThat(uri).startsWith("mongodb://ad%20min%40corp:p%40ss%3Aw%2Frd%20%2B%25%3F%23%5B%5D%26%3D%C3%A9@localhost:27017/");
        assertThat(uri).doesNotContain("+");
        // The driver decodes them back to exactly what was configured.
        assertThat(target.connectionString().getUsername()).isEqualTo("ad min@corp");
        assertThat(new String(target.connectionString().getPassword())).isEqualTo(password);
    }

    @Test
    void aUserWithoutAPasswordIsRefusedClearly() {
        assertThatThrownBy(() -> MongoTarget.of(hostOptions("localhost", 27017, "orbit", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("username 'orbit' is set without a password");
    }

    @Test
    void anAtlasHostUsesTheSrvSchemeWithoutAPort() {
        MongoTarget target = MongoTarget.of(hostOptions("cluster0.ab1cd.mongodb.net", 27017, "orbit", "secret"));
        assertThat(target.connectionString().getConnectionString())
                .isEqualTo("mongodb+srv://orbit:secret@cluster0.ab1cd.mongodb.net/");
        assertThat(target.connectionString().isSrvProtocol()).isTrue();
        assertThat(target.describe()).isEqualTo("mongodb cluster0.ab1cd.mongodb.net/orbit");
    }

    @Test
    void aUriTakesPrecedenceOverHostAndPort() {
        MongoOptions options = new MongoOptions("mongodb://u:topsecret@a.example:1,b.example:2/?replicaSet=rs0",
                "ignored.example", 9, "orbit", "other", "other", Map.of(), Duration.ofSeconds(2));
        MongoTarget target = MongoTarget.of(options);
        assertThat(target.hosts()).isEqualTo("a.example:1,b.example:2");
        assertThat(target.connectionString().getRequiredReplicaSetName()).isEqualTo("rs0");
        assertThat(target.describe()).isEqualTo("mongodb a.example:1,b.example:2/orbit");
    }

    @Test
    void noPasswordInDescriptionsOrRedactedMessages() {
        MongoOptions options = hostOptions("localhost", 27017, "orbit", "pa ss+word");
        MongoTarget target = MongoTarget.of(options);
        assertThat(target.describe()).doesNotContain("pa ss+word");
        assertThat(target.toString()).doesNotContain("pa ss");
        assertThat(options.toString()).doesNotContain("pa ss");
        assertThat(target.redact("echo pa ss+word and " + MongoTarget.escape("pa ss+word")))
                .isEqualTo("echo **** and ****");
        MongoDatabaseService service = new MongoDatabaseService(options, OrbitSchema.SCHEMA);
        assertThat(service.describe()).isEqualTo("mongodb localhost:27017/orbit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil@host", "host/path", "host?opt=1", "two,hosts", "sp ace", ""})
    void hostsThatWouldRewriteTheConnectionStringAreRefused(String host) {
        assertThatThrownBy(() -> MongoTarget.of(hostOptions(host, 27017, null, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid MongoDB host");
    }

    @Test
    void portsOutOfRangeAndBadDatabaseNamesAreRefused() {
        assertThatThrownBy(() -> MongoTarget.of(hostOptions("localhost", 0, null, null)))
                .hasMessageContaining("invalid MongoDB port 0");
        assertThatThrownBy(() -> MongoTarget.of(new MongoOptions(null, "localhost", 27017, "a.b", null, null,
                Map.of(), Duration.ofSeconds(1)))).hasMessageContaining("invalid MongoDB database name 'a.b'");
    }
}
