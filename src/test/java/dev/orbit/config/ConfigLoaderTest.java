package dev.orbit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.db.DatabaseServiceFactory.Backend;
import dev.orbit.db.mongo.MongoOptions;
import dev.orbit.db.sqlite.SqliteOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    // Surefire runs in the project directory, where the shipped file lives.
    private static final Path SHIPPED = Path.of("config/config.yaml");

    @TempDir
    Path dir;

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void theShippedConfigLoadsWithAnEmptyEnvironmentIntoSqliteInTheWorkingDirectory() {
        OrbitConfig config = ConfigLoader.load(SHIPPED, Map.of());

        assertThat(config.backend()).isEqualTo(new Backend.Sqlite(SqliteOptions.defaults(Path.of("orbit.db").toAbsolutePath())));
        assertThat(config.general().port()).isEqualTo(3000);
        assertThat(config.general().host()).isEqualTo("0.0.0.0");
        assertThat(config.auth().defaultAdminPassword()).isEmpty();
    }

    @Test
    void theShippedConfigPutsTheDatabaseAtOrbitHome() {
        OrbitConfig config = ConfigLoader.load(SHIPPED, Map.of("ORBIT_HOME", dir.toString()));

        assertThat(config.backend()).isEqualTo(new Backend.Sqlite(SqliteOptions.defaults(dir.resolve("orbit.db"))));
    }

    @Test
    void theShippedConfigFollowsTheDocumentedVariables() {
        OrbitConfig config = ConfigLoader.load(SHIPPED, Map.of(
                "ORBIT_BACKEND", "mongodb",
                "INTERNAL_SERVICES_MONGODB_HOST", "db.local",
                "INTERNAL_SERVICES_MONGODB_PORT", "27018",
                "INTERNAL_SERVICES_MONGODB_DB", "gw",
                "INTERNAL_SERVICES_MONGODB_USERNAME", "orbit",
                "INTERNAL_SERVICES_MONGODB_PASSWORD", "pw",
                "ORBIT_DEFAULT_ADMIN_PASSWORD", "admin-pw",
                "ORBIT_HOST", "127.0.0.1",
                "ORBIT_PORT", "8080"));

        MongoOptions mongo = ((Backend.Mongo) config.backend()).options();
        assertThat(mongo.uri()).isNull();
        assertThat(mongo.host()).isEqualTo("db.local");
        assertThat(mongo.port()).isEqualTo(27018);
        assertThat(mongo.database()).isEqualTo("gw");
        assertThat(mongo.username()).isEqualTo("orbit");
        assertThat(mongo.password()).isEqualTo("pw");
        assertThat(config.auth().defaultAdminPassword()).contains(new Secret("admin-pw"));
        assertThat(config.general().host()).isEqualTo("127.0.0.1");
        assertThat(config.general().port()).isEqualTo(8080);
    }

    @Test
    void theShippedConfigTakesTheSqlitePathAndMongodbUriFromTheEnvironment() {
        assertThat(ConfigLoader.load(SHIPPED, Map.of("ORBIT_HOME", dir.toString(), "ORBIT_SQLITE_PATH", "data/x.db"))
                .backend()).isEqualTo(new Backend.Sqlite(SqliteOptions.defaults(dir.resolve("data/x.db"))));
        assertThat(((Backend.Mongo) ConfigLoader.load(SHIPPED,
                Map.of("ORBIT_BACKEND", "mongodb", "ORBIT_MONGODB_URI", "mongodb://u:p@h/db")).backend())
                .options().uri()).isEqualTo("mongodb://u:p@h/db");
    }

    @Test
    void theShippedConfigWithMongodbButNoServerSaysWhatIsMissing() {
        assertThatThrownBy(() -> ConfigLoader.load(SHIPPED, Map.of("ORBIT_BACKEND", "mongodb")))
                .hasMessage("config/config.yaml: internal_services.mongodb.host:"
                        + " required when the backend type is mongodb and no uri is set");
    }

    @Test
    void aMissingFileIsOneClearLine() {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> ConfigLoader.load(missing, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": cannot read: file not found");
    }

    @Test
    void aDirectoryIsNotAConfigFile() {
        assertThatThrownBy(() -> ConfigLoader.load(dir, Map.of()))
                .hasMessage(dir + ": cannot read: is a directory, expected a YAML file");
    }

    @Test
    void aFileThatIsNotUtf8IsRefused() throws Exception {
        Path file = Files.write(dir.resolve("latin1.yaml"), new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .hasMessage(file + ": cannot read: not UTF-8 text");
    }

    @Test
    void invalidYamlIsOneLineWithItsPosition() throws Exception {
        Path file = write("bad.yaml", "general:\n  port: [3000\n  host: x\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": invalid YAML at line 3, column 7: while parsing a flow sequence:"
                        + " expected ',' or ']', but got :");
    }

    @Test
    void aDuplicateKeyIsRefused() throws Exception {
        Path file = write("dup.yaml", "general:\n  port: 1\n  port: 2\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .hasMessageStartingWith(file + ": invalid YAML at line 3")
                .hasMessageContaining("Duplicate field 'port'");
    }

    @Test
    void aTopLevelListIsRefused() throws Exception {
        Path file = write("list.yaml", "- a\n- b\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .hasMessage(file + ": expected a mapping at the top level, got a list");
    }

    @Test
    void anUnsetVariableWithoutDefaultLeavesTheBuiltInDefault() throws Exception {
        Path file = write("env.yaml", "general:\n  port: ${NOT_SET_ANYWHERE}\n");

        assertThat(ConfigLoader.load(file, Map.of()).general().port()).isEqualTo(3000);
    }

    @Test
    void aSubstitutedValueIsCheckedLikeAWrittenOne() throws Exception {
        Path file = write("env.yaml", "general:\n  port: ${ORBIT_PORT:-3000}\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of("ORBIT_PORT", "99999")))
                .hasMessage(file + ": general.port: expected an integer between 0 and 65535, got 99999");
    }
}
