package dev.orbit.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Start-up warnings about keys of the configuration file that nothing reads ({@link OrbitConfig#warnings}). */
class ConfigKeysTest {
    private static List<String> warnings(String yaml) {
        return ConfigLoader.parse(yaml, "config.yaml", Map.of("ORBIT_HOME", "/srv/orbit")).warnings();
    }

    @Test
    void aMisspelledSectionIsReportedWithTheClosestKnownKey() {
        assertThat(warnings("genral: {port: 8080}"))
                .containsExactly("config.yaml: unknown key 'genral' (ignored): did you mean 'general'?");
    }

    @Test
    void aMisspelledNestedKeyIsReportedWithItsFullPath() {
        assertThat(warnings("""
                general:
                  prot: 8080
                  session_id: {header_nmae: X-Chat}
                internal_services: {backend: {sqlite: {synchronus: full}}}
                """)).containsExactly(
                "config.yaml: unknown key 'general.prot' (ignored): did you mean 'general.port'?",
                "config.yaml: unknown key 'general.session_id.header_nmae' (ignored): did you mean"
                        + " 'general.session_id.header_name'?",
                "config.yaml: unknown key 'internal_services.backend.sqlite.synchronus' (ignored): did you mean"
                        + " 'internal_services.backend.sqlite.synchronous'?");
    }

    @Test
    void aKeyInAnAdapterEntryIsCheckedToo() {
        assertThat(warnings("adapters: [{name: a, model: m}, {name: b, modle: m2, model: m}]"))
                .containsExactly("config.yaml: unknown key 'adapters[1].modle' (ignored): did you mean 'adapters[1].model'?");
    }

    @Test
    void aKeyInTheWrongSectionIsPointedToWhereItIsKnown() {
        assertThat(warnings("general: {retention_days: 30}")).containsExactly(
                "config.yaml: unknown key 'general.retention_days' (ignored): did you mean 'chat_history.retention_days'?");
    }

    @Test
    void anUnknownKeyLikeNoKnownOneListsTheKnownKeysBesideIt() {
        assertThat(warnings("http: {gzip: true}")).containsExactly(
                "config.yaml: unknown key 'http.gzip' (ignored); known keys in http: cors, max_body_bytes");
    }

    @Test
    void keysOfTheUnusedBackendAreKnownButTyposThereAreReported() {
        assertThat(warnings("""
                internal_services:
                  backend: {type: sqlite, sqlite: {database_path: a.db}}
                  mongodb: {host: h, port: 27017, databse: x, users_collection: u, server_selection_timeout_ms: 5}
                """)).containsExactly("config.yaml: unknown key 'internal_services.mongodb.databse' (ignored):"
                + " did you mean 'internal_services.mongodb.database'?");
        assertThat(warnings("""
                internal_services:
                  backend: {type: mongodb, sqlite: {database_path: a.db, read_connections: 2}}
                  mongodb: {uri: 'mongodb://h/x'}
                """)).isEmpty();
    }

    @Test
    void aKeyWhoseVariableIsUnsetIsStillChecked() {
        assertThat(warnings("general: {prot: '${ORBIT_UNSET_PORT}'}"))
                .containsExactly("config.yaml: unknown key 'general.prot' (ignored): did you mean 'general.port'?");
    }

    @Test
    void theReferenceOrbitsKeysThisVersionDoesNotImplementAreListedOnceAsIgnored() {
        assertThat(warnings("""
                import: [ollama.yaml]
                general: {port: 3000, https: {enabled: false}, inference_provider: ollama}
                logging: {level: INFO, handlers: {file: {enabled: true, rotation: midnight}}}
                internal_services: {redis: {enabled: false}, backend: {type: sqlite}}
                chat_history: {store_metadata: true, session: {auto_generate: false}}
                adapters: [{name: a, model: m}]
                """)).containsExactly("config.yaml: ignored (not supported by this version): chat_history.session,"
                + " chat_history.store_metadata, general.https, general.inference_provider, import,"
                + " internal_services.redis, logging.handlers.file.rotation");
    }

    @Test
    void noListedReferenceOnlyKeyIsReadByThisVersion() {
        // A key that gets implemented must leave the list, or its typos would pass as "not supported". The
        // readers ask for the same keys whatever the file holds (every backend's too), except per adapter.
        OrbitConfig config = ConfigLoader.parse("", "config.yaml", Map.of());

        assertThat(ConfigKeys.referenceOnly()).isNotEmpty();
        assertThat(config.raw().askedKeys()).doesNotContainAnyElementsOf(ConfigKeys.referenceOnly());
    }

    @Test
    void theShippedConfigAndAnEmptyOneHaveNoWarnings() {
        assertThat(ConfigLoader.load(Path.of("config/config.yaml"), Map.of()).warnings()).isEmpty();
        assertThat(ConfigLoader.load(Path.of("config/config.yaml"), Map.of("ORBIT_BACKEND", "mongodb",
                "ORBIT_MONGODB_URI", "mongodb://h/x")).warnings()).isEmpty();
        assertThat(warnings("")).isEmpty();
    }

    @Test
    void namesCloseByOneEditIncludingASwapOfNeighbours() {
        assertThat(ConfigKeys.distance("prot", "port")).isEqualTo(1);
        assertThat(ConfigKeys.distance("genral", "general")).isEqualTo(1);
        assertThat(ConfigKeys.distance("PORT", "port")).isZero();
        assertThat(ConfigKeys.distance("auth", "http")).isEqualTo(3);
    }
}
