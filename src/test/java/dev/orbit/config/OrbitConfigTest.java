package dev.orbit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.admin.DatabaseUrl;
import dev.orbit.db.DatabaseServiceFactory.Backend;
import dev.orbit.db.mongo.MongoOptions;
import dev.orbit.db.postgres.PostgresOptions;
import dev.orbit.db.sqlite.SqliteOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrbitConfigTest {
    @TempDir
    Path home;

    private OrbitConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "config.yaml", Map.of("ORBIT_HOME", home.toString()));
    }

    private SqliteOptions sqlite(OrbitConfig config) {
        assertThat(config.backend()).isInstanceOf(Backend.Sqlite.class);
        return ((Backend.Sqlite) config.backend()).options();
    }

    private MongoOptions mongo(OrbitConfig config) {
        assertThat(config.backend()).isInstanceOf(Backend.Mongo.class);
        return ((Backend.Mongo) config.backend()).options();
    }

    @Test
    void anEmptyConfigurationGivesTheDefaults() {
        OrbitConfig config = parse("");

        assertThat(sqlite(config)).isEqualTo(SqliteOptions.defaults(home.resolve("orbit.db")));
        assertThat(config.auth()).isEqualTo(new AuthConfig(12, "admin", Optional.empty(), 600_000, false));
        assertThat(config.apiKeys()).isEqualTo(new ApiKeysConfig("X-API-Key", "orbit_"));
        assertThat(config.chatHistory()).isEqualTo(new ChatHistoryConfig(true, "chat_history", 90, 50));
        assertThat(config.general()).isEqualTo(new GeneralConfig("0.0.0.0", 3000, GeneralConfig.SessionId.DEFAULT));
        assertThat(config.http().maxBodyBytes()).isEqualTo(1024 * 1024);
    }

    @Test
    void everySectionReadsItsKeys() {
        OrbitConfig config = parse("""
                auth: {session_duration_hours: 2, default_admin_username: root, default_admin_password: s3cret,
                       pbkdf2_iterations: 1000, api_key_admin_access: true}
                api_keys: {header_name: X-Key, prefix: k_}
                chat_history: {enabled: false, collection_name: chats, retention_days: 0, default_limit: 10}
                general: {host: 127.0.0.1, port: 8080, session_id: {header_name: X-Session, required: false}}
                http: {max_body_bytes: 2048}
                """);

        assertThat(config.auth()).isEqualTo(new AuthConfig(2, "root", Optional.of(new Secret("s3cret")), 1000, true));
        assertThat(config.apiKeys()).isEqualTo(new ApiKeysConfig("X-Key", "k_"));
        assertThat(config.chatHistory()).isEqualTo(new ChatHistoryConfig(false, "chats", 0, 10));
        assertThat(config.general())
                .isEqualTo(new GeneralConfig("127.0.0.1", 8080, new GeneralConfig.SessionId("X-Session", false)));
        assertThat(config.http().maxBodyBytes()).isEqualTo(2048);
    }

    @Test
    void theLoginBlacklistCacheLifetimeIsReadWithinItsBounds() {
        assertThat(parse("auth: {blacklist: {cache_ttl: 0}}").auth().blacklistCacheTtlSeconds()).isZero();
        assertThat(parse("").auth().blacklistCacheTtlSeconds()).isEqualTo(30);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse("auth: {blacklist: {cache_ttl: 3601}}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("auth.blacklist.cache_ttl");
    }

    @Test
    void theSqliteBlockIsRead() {
        OrbitConfig config = parse("""
                internal_services:
                  backend:
                    type: sqlite
                    sqlite: {database_path: data/gw.db, synchronous: FULL, busy_timeout_ms: 250, read_connections: 2}
                """);

        assertThat(sqlite(config)).isEqualTo(new SqliteOptions(home.resolve("data/gw.db"),
                SqliteOptions.Synchronous.FULL, Duration.ofMillis(250), 2));
    }

    @Test
    void aRelativeDatabasePathIsResolvedAgainstOrbitHome() {
        assertThat(sqlite(parse("internal_services: {backend: {sqlite: {database_path: ../x/./o.db}}}")).databasePath())
                .isEqualTo(home.getParent().resolve("x/o.db"));
    }

    @Test
    void anAbsoluteDatabasePathIsKept() {
        Path elsewhere = home.resolve("abs/orbit.db").toAbsolutePath();

        assertThat(sqlite(parse("internal_services: {backend: {sqlite: {database_path: '" + elsewhere + "'}}}"))
                .databasePath()).isEqualTo(elsewhere);
    }

    @Test
    void withoutOrbitHomeARelativePathIsResolvedAgainstTheWorkingDirectory() {
        OrbitConfig config = ConfigLoader.parse("", "config.yaml", Map.of());

        assertThat(sqlite(config).databasePath()).isEqualTo(Path.of("orbit.db").toAbsolutePath());
    }

    @Test
    void anUnknownBackendTypeNamesTheChoices() {
        assertThatThrownBy(() -> parse("internal_services: {backend: {type: mysql}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.yaml: internal_services.backend.type: expected one of sqlite, mongodb, postgres, got 'mysql'");
    }

    @Test
    void anUnknownSynchronousModeNamesTheChoices() {
        assertThatThrownBy(() -> parse("internal_services: {backend: {sqlite: {synchronous: sometimes}}}"))
                .hasMessage("config.yaml: internal_services.backend.sqlite.synchronous:"
                        + " expected one of off, normal, full, extra, got 'sometimes'");
    }

    @Test
    void theMemoryMappingIsReadInMegabytesAndIsOffByDefault() {
        assertThat(sqlite(parse("")).mmapBytes()).isZero();
        assertThat(sqlite(parse("internal_services: {backend: {sqlite: {mmap_size_mb: 256}}}")).mmapBytes())
                .isEqualTo(256L << 20);
        assertThat(sqlite(parse("internal_services: {backend: {sqlite: {mmap_size_mb: 0}}}")).mmapBytes()).isZero();
        assertThat(sqlite(parse("internal_services: {backend: {sqlite: {mmap_size_mb: 2047}}}")).mmapBytes())
                .isEqualTo(2047L << 20);
        assertThatThrownBy(() -> parse("internal_services: {backend: {sqlite: {mmap_size_mb: 2048}}}"))
                .hasMessage("config.yaml: internal_services.backend.sqlite.mmap_size_mb:"
                        + " expected an integer between 0 and 2047, got 2048");
        assertThatThrownBy(() -> parse("internal_services: {backend: {sqlite: {mmap_size_mb: -1}}}"))
                .hasMessageContaining("mmap_size_mb: expected an integer between 0 and 2047, got -1");
    }

    @Test
    void tooManyReadConnectionsAreRefusedWithTheBound() {
        assertThatThrownBy(() -> parse("internal_services: {backend: {sqlite: {read_connections: 65}}}"))
                .hasMessage("config.yaml: internal_services.backend.sqlite.read_connections:"
                        + " expected an integer between 1 and 64, got 65");
    }

    @Test
    void aPortThatIsNotANumberIsRefused() {
        assertThatThrownBy(() -> parse("general: {port: \"abc\"}"))
                .hasMessage("config.yaml: general.port: expected an integer between 0 and 65535, got 'abc'");
    }

    @Test
    void aPortOutOfRangeIsRefused() {
        assertThatThrownBy(() -> parse("general: {port: -1}"))
                .hasMessage("config.yaml: general.port: expected an integer between 0 and 65535, got -1");
    }

    @Test
    void theMongodbBlockIsReadWithCollectionNamesMappedFromTheReferenceKeys() {
        OrbitConfig config = parse("""
                internal_services:
                  backend: {type: mongodb}
                  mongodb:
                    host: db.example
                    port: 27018
                    database: orbit-prod
                    username: orbit
                    password: pw
                    users_collection: u
                    sessions_collection: s
                    apikey_collection: k
                    prompts_collection: p
                chat_history: {collection_name: h}
                """);

        assertThat(mongo(config)).isEqualTo(new MongoOptions(null, "db.example", 27018, "orbit-prod", "orbit", "pw",
                Map.of("users", "u", "sessions", "s", "api_keys", "k", "system_prompts", "p", "chat_history", "h"),
                Duration.ofSeconds(5)));
    }

    @Test
    void aDatabaseNamedInTheMongodbUriWinsOverTheDatabaseKeyAndIsTheOneTheDbCommandsUseForThatUri() {
        String uri = "mongodb://orbit:pw@db.example:27017/mydb?authSource=admin";
        OrbitConfig config = parse("internal_services: {backend: {type: mongodb}, mongodb: {uri: '" + uri + "',"
                + " database: orbit}}");

        assertThat(mongo(config).database()).isEqualTo("mydb");
        assertThat(config.backend().location())
                .isEqualTo(DatabaseUrl.parseDatabase(uri, home).backend().location())
                .endsWith("/mydb");
    }

    @Test
    void aMongodbUriWithoutADatabaseUsesTheDatabaseKey() {
        OrbitConfig config = parse("internal_services: {backend: {type: mongodb}, mongodb: {uri: 'mongodb://h/?w=1',"
                + " database: chats}}");

        assertThat(mongo(config).database()).isEqualTo("chats");
    }

    @Test
    void aForbiddenDatabaseNameInTheMongodbUriIsReportedAgainstTheUriKeyWithoutTheUri() {
        assertThatThrownBy(() -> parse("internal_services: {backend: {type: mongodb}, mongodb: {uri:"
                + " 'mongodb://u:hunter22@h/a$b'}}"))
                .hasMessageStartingWith("config.yaml: internal_services.mongodb.uri: expected a MongoDB database name")
                .hasMessageEndingWith("got 'a$b'")
                .hasMessageNotContaining("hunter22");
    }

    @Test
    void mongodbDefaultsKeepTheCollectionNamesAndTheOrbitDatabase() {
        MongoOptions options = mongo(parse("internal_services: {backend: {type: MongoDB}, mongodb: {uri: 'mongodb://h'}}"));

        assertThat(options.uri()).isEqualTo("mongodb://h");
        assertThat(options.port()).isEqualTo(27017);
        assertThat(options.database()).isEqualTo("orbit");
        assertThat(options.collectionNames()).isEqualTo(Map.of("users", "users", "sessions", "sessions",
                "api_keys", "api_keys", "system_prompts", "system_prompts", "chat_history", "chat_history"));
    }

    private PostgresOptions postgres(OrbitConfig config) {
        assertThat(config.backend()).isInstanceOf(Backend.Postgres.class);
        return ((Backend.Postgres) config.backend()).options();
    }

    @Test
    void postgresIsReadFromTheReferenceKeys() {
        PostgresOptions options = postgres(parse("""
                internal_services:
                  backend:
                    type: postgres
                    postgres: {host: db.example, port: 6543, database: gw, username: orbit, password: pw,
                               sslmode: require, pool_size: 4, connect_timeout_ms: 2000}
                """));
        assertThat(options).isEqualTo(new PostgresOptions("db.example", 6543, "gw", "orbit", "pw", "require", 4,
                java.time.Duration.ofSeconds(2)));
        assertThat(options.toString()).doesNotContain("pw");
    }

    @Test
    void aPostgresUrlWinsOverThePartsAndDefaultsAreTheReferences() {
        PostgresOptions options = postgres(parse("internal_services: {backend: {type: postgres, postgres:"
                + " {url: 'postgresql://u:p%40ss@h/orbit_db?sslmode=disable', host: ignored}}}"));
        assertThat(options.host()).isEqualTo("h");
        assertThat(options.port()).isEqualTo(5432);
        assertThat(options.database()).isEqualTo("orbit_db");
        assertThat(options.password()).isEqualTo("p@ss");
        assertThat(options.sslmode()).isEqualTo("disable");
        assertThat(postgres(parse("internal_services: {backend: {type: postgres, postgres: {host: h}}}")))
                .isEqualTo(PostgresOptions.of("h", 5432, "orbit", null, null, "prefer"));
    }

    @Test
    void aWrongPostgresSettingNamesItsKey() {
        assertThatThrownBy(() -> parse("internal_services: {backend: {type: postgres}}"))
                .hasMessage("config.yaml: internal_services.backend.postgres.host:"
                        + " required when the backend type is postgres and no url is set");
        assertThatThrownBy(() -> parse("internal_services: {backend: {type: postgres, postgres: {host: h,"
                + " sslmode: sometimes}}}")).hasMessageStartingWith("config.yaml: internal_services.backend.postgres"
                + ".sslmode: postgres sslmode must be one of");
        assertThatThrownBy(() -> parse("internal_services: {backend: {type: postgres, postgres:"
                + " {url: 'postgresql://u:secret@h/db?pool=3'}}}")).hasMessageContaining("postgres.url:")
                .hasMessageNotContaining("secret");
    }

    @Test
    void mongodbNeedsAHostWhenNoUriIsSet() {
        assertThatThrownBy(() -> parse("internal_services: {backend: {type: mongodb}}"))
                .hasMessage("config.yaml: internal_services.mongodb.host:"
                        + " required when the backend type is mongodb and no uri is set");
    }

    @Test
    void aMongodbUsernameNeedsAPassword() {
        assertThatThrownBy(() -> parse("internal_services: {backend: {type: mongodb}, mongodb: {host: h, username: u}}"))
                .hasMessage("config.yaml: internal_services.mongodb.password: required when username is set");
    }

    @Test
    void aCollectionNameThatIsNotAPlainIdentifierIsRefused() {
        assertThatThrownBy(() -> parse("""
                internal_services: {backend: {type: mongodb}, mongodb: {host: h, users_collection: "users; drop"}}
                """))
                .hasMessageStartingWith("config.yaml: internal_services.mongodb.users_collection: invalid collection name"
                        + " 'users; drop'");
    }

    @Test
    void aMongodbDatabaseNameWithAForbiddenCharacterIsRefused() {
        assertThatThrownBy(() -> parse("internal_services: {backend: {type: mongodb}, mongodb: {host: h, database: a.b}}"))
                .hasMessageStartingWith("config.yaml: internal_services.mongodb.database: expected a MongoDB database name");
    }

    @Test
    void theUnusedMongodbBlockIsNotCheckedWhenSqliteIsSelected() {
        assertThat(parse("internal_services: {mongodb: {port: not-a-port}}").backend()).isInstanceOf(Backend.Sqlite.class);
    }

    @Test
    void theAdminPasswordNeverAppearsInToString() {
        OrbitConfig config = parse("auth: {default_admin_password: hunter2}");

        assertThat(config.auth().defaultAdminPassword()).map(Secret::value).contains("hunter2");
        assertThat(config.toString()).doesNotContain("hunter2");
    }

    @Test
    void theMongodbPasswordNeverAppearsInToString() {
        OrbitConfig config = parse("internal_services: {backend: {type: mongodb}, mongodb: {host: h, username: u,"
                + " password: hunter2}}");

        assertThat(config.toString()).doesNotContain("hunter2");
    }

    @Test
    void theRawTreeKeepsSectionsReadElsewhere() {
        OrbitConfig config = parse("adapters:\n  - {name: qa, model: m}\n");

        assertThat(config.raw().sectionList("adapters")).singleElement()
                .satisfies(adapter -> assertThat(adapter.requiredString("model")).isEqualTo("m"));
    }
}
