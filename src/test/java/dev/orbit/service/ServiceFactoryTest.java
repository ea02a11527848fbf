package dev.orbit.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.config.ConfigLoader;
import dev.orbit.config.OrbitConfig;
import dev.orbit.db.DatabaseException;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.Filters;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.DatabaseServiceFactory;
import dev.orbit.db.sqlite.SqliteOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceFactoryTest {
    @TempDir
    Path dir;

    private ServiceFactory factory() {
        AuthSettings auth = new AuthSettings(java.time.Duration.ofHours(12), "admin", null,
                ServiceTestBase.FAST_PASSWORDS, LoginThrottleSettings.defaults());
        return new ServiceFactory(new DatabaseServiceFactory.Backend.Sqlite(SqliteOptions.defaults(dir.resolve("orbit.db"))),
                auth, ApiKeySettings.defaults(), PromptSettings.defaults(), ChatHistorySettings.defaults(),
                ServiceTestBase.ADAPTERS, Clock.systemUTC());
    }

    private static String started(ServiceFactory factory) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        factory.start(new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void start_prints_a_generated_admin_password_once_and_the_services_share_one_database() {
        String password;
        try (ServiceFactory factory = factory()) {
            String console = started(factory);
            Matcher m = Pattern.compile("shown only now\\): ([A-Za-z0-9]{24})").matcher(console);
            assertThat(m.find()).as(console).isTrue();
            password = m.group(1);

            String token = factory.auth().login("admin", password, null).token();
            assertThat(factory.auth().authenticate(token).username()).isEqualTo("admin");
            Prompt prompt = factory.prompts().create("p", "text", null);
            CreatedApiKey key = factory.apiKeys().create(ApiKeyRequest.of("c", "chat").withSystemPromptId(prompt.id()));
            ValidatedApiKey valid = factory.apiKeys().validate(key.apiKey(), CallerIdentity.NONE);
            factory.chatHistory().addTurn("s", valid.fingerprint(), null, NewMessage.user("q"), NewMessage.assistant("a"), null);
            assertThat(factory.chatHistory().latest("s", 10)).hasSize(2);
        }
        try (ServiceFactory again = factory()) {
            assertThat(started(again)).isEmpty();
            assertThat(again.auth().login("admin", password, null).user().username()).isEqualTo("admin");
        }
    }

    @Test
    void from_config_takes_backend_prefix_session_length_admin_password_and_adapters_from_the_yaml() {
        String yaml = """
                internal_services:
                  backend:
                    type: sqlite
                    sqlite:
                      database_path: data/orbit.db
                auth:
                  session_duration_hours: 2
                  default_admin_password: ${ORBIT_DEFAULT_ADMIN_PASSWORD}
                  pbkdf2_iterations: 1000
                api_keys:
                  prefix: acme_
                chat_history:
                  retention_days: 0
                  default_limit: 5000
                adapters:
                  - name: chat
                    inference_provider: mock
                    model: m
                  - name: retired
                    enabled: false
                    model: m
                """;
        OrbitConfig config = ConfigLoader.parse(yaml, "config.yaml",
                Map.of("ORBIT_HOME", dir.toString(), "ORBIT_DEFAULT_ADMIN_PASSWORD", "from-env-1"));
        try (ServiceFactory factory = ServiceFactory.fromConfig(config)) {
            // The admin's password from the environment, hashed with at least 600,000 rounds although the
            // configured rounds of legacy hashes are 1,000 (the one slow step here; no login, to keep it one).
            assertThat(started(factory)).isEmpty();
            assertThat(factory.database().findOne(OrbitSchema.USERS, Filters.eq("username", "admin")).orElseThrow()
                    .getString("password")).startsWith("pbkdf2-sha256$600000$");
            assertThat(factory.database().describe()).contains(dir.resolve("data/orbit.db").toString());
            assertThat(factory.chatHistory().settings().defaultLimit()).isEqualTo(ChatHistoryService.MAX_LIMIT);
            assertThat(factory.chatHistory().settings().retentionDays()).isZero();

            String key = factory.apiKeys().create(ApiKeyRequest.of("c", "chat")).apiKey();
            assertThat(key).startsWith("acme_");
            assertThat(factory.apiKeys().validate(key, CallerIdentity.NONE).adapter().name()).isEqualTo("chat");
            String retired = factory.apiKeys().create(ApiKeyRequest.of("c", "retired")).apiKey();
            assertThatThrownBy(() -> factory.apiKeys().validate(retired, CallerIdentity.NONE))
                    .isInstanceOf(ServiceException.Unauthorized.class);
            assertThatThrownBy(() -> factory.apiKeys().create(ApiKeyRequest.of("c", "unknown")))
                    .isInstanceOf(ServiceException.InvalidInput.class);
        }
    }

    @Test
    void close_releases_the_database_and_the_services_stop_working() {
        ServiceFactory factory = factory();
        factory.start(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        factory.close();
        factory.close();
        assertThatThrownBy(() -> factory.prompts().list(null, 10, 0)).isInstanceOf(DatabaseException.class);
        try (ServiceFactory reopened = factory()) {
            assertThat(reopened.prompts().list(null, 10, 0)).isEmpty();
        }
    }

    @Test
    void a_factory_on_a_database_the_caller_opened_closes_it_when_closed() {
        DatabaseService db = TestDatabases.sqlite(dir);
        AuthSettings auth = new AuthSettings(java.time.Duration.ofHours(12), "admin", "admin-Secret1",
                ServiceTestBase.FAST_PASSWORDS, LoginThrottleSettings.defaults());
        try (ServiceFactory factory = new ServiceFactory(db, auth, ApiKeySettings.defaults(), PromptSettings.defaults(),
                ChatHistorySettings.defaults(), ServiceTestBase.ADAPTERS, Clock.systemUTC())) {
            assertThat(factory.database()).isSameAs(db);
            assertThat(factory.prompts().create("p", "text", null).name()).isEqualTo("p");
        }
        assertThatThrownBy(() -> db.count(OrbitSchema.SYSTEM_PROMPTS, Filters.all())).isInstanceOf(DatabaseException.class);
    }

    @Test
    void from_config_on_a_given_database_closes_it_when_the_configuration_cannot_be_wired() {
        DatabaseService db = TestDatabases.sqlite(dir);
        OrbitConfig config = ConfigLoader.parse("adapters: [{name: chat, inference_provider: mock, model: m}]\nchat_history: {default_limit: 1}",
                "config.yaml", Map.of("ORBIT_HOME", dir.toString()));
        try (ServiceFactory factory = ServiceFactory.fromConfig(config, db)) {
            assertThat(factory.chatHistory().settings().defaultLimit()).isEqualTo(1);
        }
        assertThatThrownBy(() -> db.count(OrbitSchema.SYSTEM_PROMPTS, Filters.all())).isInstanceOf(DatabaseException.class);

        DatabaseService another = TestDatabases.sqlite(dir);
        OrbitConfig broken = ConfigLoader.parse("api_keys: {prefix: 'a b'}", "config.yaml",
                Map.of("ORBIT_HOME", dir.toString()));
        assertThatThrownBy(() -> ServiceFactory.fromConfig(broken, another)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> another.count(OrbitSchema.SYSTEM_PROMPTS, Filters.all()))
                .isInstanceOf(DatabaseException.class);
    }
}
