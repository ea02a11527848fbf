package dev.orbit.admin;

import static dev.orbit.admin.AdminTests.dump;
import static dev.orbit.admin.AdminTests.mongoUrl;
import static dev.orbit.admin.AdminTests.orbit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.mongo.MongoTestServer;
import dev.orbit.db.postgres.PostgresOptions;
import dev.orbit.db.postgres.PostgresTestServer;
import dev.orbit.config.AuditConfig;
import dev.orbit.service.AdapterCatalog;
import dev.orbit.service.AdminEvent;
import dev.orbit.service.ApiKeyFingerprint;
import dev.orbit.service.ApiKeyRequest;
import dev.orbit.service.ApiKeyService;
import dev.orbit.service.ApiKeySettings;
import dev.orbit.service.AuditService;
import dev.orbit.service.AuditSettings;
import dev.orbit.service.AuthService;
import dev.orbit.service.AuthSettings;
import dev.orbit.service.CallerIdentity;
import dev.orbit.service.ChatEvent;
import dev.orbit.service.ChatHistoryService;
import dev.orbit.service.ChatHistorySettings;
import dev.orbit.service.ChatMessage;
import dev.orbit.service.ChatTurn;
import dev.orbit.service.NewMessage;
import dev.orbit.service.PasswordSettings;
import dev.orbit.service.PriceTable;
import dev.orbit.service.Prompt;
import dev.orbit.service.PromptService;
import dev.orbit.service.PromptSettings;
import dev.orbit.service.ServiceException;
import dev.orbit.service.UsageService;
import dev.orbit.service.User;
import dev.orbit.service.ValidatedApiKey;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migration proof: data written through the services on SQLite is migrated to MongoDB and from there to
 * a new SQLite file, and after each step the gateway's services carry on with it as if nothing happened.
 */
class MigrationRoundTripTest {
    @RegisterExtension
    static final MongoTestServer MONGO = new MongoTestServer();

    private static final String ALICE_PASSWORD = "Alice-Password-1";
    /** Fast hashing for tests; production uses 600,000 rounds. */
    private static final AuthSettings AUTH = AuthSettings.defaults()
            .withPasswords(new PasswordSettings(1_000, 1_000, 2, 256)).withDefaultAdminPassword("admin-Secret1");
    private static final PriceTable PRICES = new PriceTable(Map.of("m-1", new AuditConfig.ModelPrice(1.0, 2.0)));
    private static final AdapterCatalog ADAPTERS = AdapterCatalog.of(List.of(new AdapterCatalog.Adapter("chat", true)));

    @TempDir
    Path home;

    /** The gateway's services on one database, as a server process would wire them. */
    private static final class Services implements AutoCloseable {
        final DatabaseService db;
        final AuthService auth;
        final PromptService prompts;
        final ApiKeyService keys;
        final ChatHistoryService history;
        final AuditService audit;
        final UsageService usage;

        Services(String url, Path home) {
            Clock clock = Clock.systemUTC();
            db = AdminTests.open(url, home);
            auth = new AuthService(db, AUTH, clock);
            prompts = new PromptService(db, PromptSettings.defaults(), clock);
            keys = new ApiKeyService(db, ApiKeySettings.defaults(), ADAPTERS, prompts, clock);
            history = new ChatHistoryService(db, ChatHistorySettings.defaults(), clock);
            audit = new AuditService(db, new AuditSettings(true, true, false, false, 90, 400, Duration.ofSeconds(1),
                    100, 100, false, false, Duration.ofHours(1)), clock);
            usage = new UsageService(db, PRICES, clock);
        }

        /** One chat call: its audit record and its rollups (as the audit writer would write them). */
        void chatCall(String apiKey) {
            ApiKeyFingerprint key = ApiKeyFingerprint.of(apiKey);
            ChatEvent call = new ChatEvent(Instant.now(), key.sha256(), key.masked(), null, "support-bot", "chat",
                    "mock", "m-1", "session-1", null, 100, 20, true, 15, ChatEvent.ChatOutcome.SUCCESS, "r-1", "chat",
                    "10.0.0.1", null, null);
            audit.recordChats(List.of(call), PRICES);
            usage.add(List.of(call));
        }

        @Override
        public void close() {
            auth.close();
            db.close();
        }
    }

    /** What was written before the first migration, and must keep working after every one. */
    private record Written(User alice, String token, Prompt prompt, String supportKey, String supportKeyId,
                           String otherKey) {
    }

    @Test
    void dataWrittenOnSqliteKeepsWorkingAfterMigratingToMongoDbAndBackToANewSqliteFile() {
        String sqlite = "sqlite:first.db";
        String mongo = mongoUrl(MONGO);
        String sqliteAgain = "sqlite:data/second.db";
        Written written = populate(sqlite);

        Map<String, List<Document>> beforeFirst = dump(sqlite, home);
        List<ChatMessage> historyBeforeFirst = history(sqlite);
        AdminTests.Run first = orbit(home, "db", "migrate", "--from", sqlite, "--to", mongo, "--batch-size", "3");

        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).contains("chat_history 8 (8 copied)\n", "users 3 (3 copied)\n",
                "verified: every collection of " + mongo + " holds as many documents as sqlite:" + home.resolve("first.db"));
        assertThat(first.err()).contains("chat_history 8/8\n");
        assertThat(dump(mongo, home)).as("every document and field carried over").isEqualTo(beforeFirst);
        ChatTurn addedOnMongo = carriesOn(mongo, written, historyBeforeFirst, "on MongoDB");
        assertThat(addedOnMongo.user().messageId()).as("MongoDB generates ObjectIds").matches("[0-9a-f]{24}");

        Map<String, List<Document>> beforeSecond = dump(mongo, home);
        List<ChatMessage> historyBeforeSecond = history(mongo);
        AdminTests.Run second = orbit(home, "db", "migrate", "--from", mongo, "--to", sqliteAgain);

        assertThat(second.status()).as(second.err()).isZero();
        assertThat(second.out()).contains("chat_history 10 (10 copied)\n");
        assertThat(dump(sqliteAgain, home)).as("every document and field carried back").isEqualTo(beforeSecond);
        assertThat(historyBeforeSecond).extracting(ChatMessage::messageId)
                .contains(addedOnMongo.user().messageId(), addedOnMongo.assistant().messageId())
                .anyMatch(id -> id.matches("[0-9a-f]{8}-[0-9a-f]{4}-.*"));
        carriesOn(sqliteAgain, written, historyBeforeSecond, "back on SQLite");
    }

    @Test
    void dataWrittenOnSqliteKeepsWorkingThroughPostgresqlAndMongoDbBackToSqlite() {
        PostgresOptions postgres = PostgresTestServer.newDatabase();
        List<String> chain = List.of("sqlite:first.db", PostgresTestServer.url(postgres), mongoUrl(MONGO),
                "sqlite:data/second.db");
        try {
            Written written = populate(chain.getFirst());
            for (int i = 1; i < chain.size(); i++) {
                String from = chain.get(i - 1);
                String to = chain.get(i);
                Map<String, List<Document>> before = dump(from, home);
                List<ChatMessage> history = history(from);
                AdminTests.Run run = orbit(home, "db", "migrate", "--from", from, "--to", to, "--batch-size", "4");
                assertThat(run.status()).as(run.err()).isZero();
                assertThat(dump(to, home)).as("every document and field carried from " + from + " to " + to)
                        .isEqualTo(before);
                carriesOn(to, written, history, "on " + to);
            }
        } finally {
            PostgresTestServer.drop(postgres);
        }
    }

    private Written populate(String url) {
        try (Services s = new Services(url, home)) {
            s.auth.bootstrap();
            User admin = s.auth.userByUsername("admin");
            User alice = s.auth.register(admin, "alice", ALICE_PASSWORD, "user", null);
            s.auth.register(admin, "bob", "Bob-Password-1", null, List.of("admin", "user"));
            String token = s.auth.login("alice", ALICE_PASSWORD, "10.0.0.1").token();
            Prompt prompt = s.prompts.create("support", "You are a patient support agent.", "2.0");
            s.prompts.create("unused", "Never tied to a key.", null);
            var support = s.keys.create(ApiKeyRequest.of("support-bot", "chat").withSystemPromptId(prompt.id())
                    .withNotes("front desk").withAllowedEmails(List.of()));
            String other = s.keys.create(ApiKeyRequest.of("other-bot", "chat")).apiKey();

            ApiKeyFingerprint key = ApiKeyFingerprint.of(support.apiKey());
            for (int i = 1; i <= 3; i++) {
                s.history.addTurn("session-1", key, alice.id(), NewMessage.user("question " + i),
                        new NewMessage("assistant", "answer " + i, Map.of("model", "m-1", "turn", (long) i,
                                "usage", Map.of("prompt_tokens", 12L, "ratio", 0.5), "tools", List.of("search", "calc"),
                                "answered_at", Instant.parse("2026-03-01T10:00:00.123Z")), 7L), "request-" + i);
            }
            s.history.addTurn("session-2", ApiKeyFingerprint.of(other), null, NewMessage.user("hello"),
                    NewMessage.assistant("hi"), null);
            s.audit.recordAdmin(new AdminEvent(Instant.now(), "admin.api_key.create", "CREATE", "api_key", "***abcd",
                    "user", admin.id(), "admin", "POST", "/admin/api-keys", 200, "10.0.0.1", "orbit-cli/1", null,
                    Map.of("client_name", "support-bot"), "r-0"));
            s.chatCall(support.apiKey());
            return new Written(alice, token, prompt, support.apiKey(), support.record().id(), other);
        }
    }

    private List<ChatMessage> history(String url) {
        try (Services s = new Services(url, home)) {
            return s.history.latest("session-1", 500);
        }
    }

    /**
     * The user logs in with the old password and the old session token still works; the API key validates
     * and brings its prompt; the session's history is the same, and its owner key continues it while another
     * key is refused. Returns the turn added.
     */
    private ChatTurn carriesOn(String url, Written written, List<ChatMessage> history, String where) {
        try (Services s = new Services(url, home)) {
            assertThat(s.auth.authenticate(written.token()).id()).as("old session token " + where)
                    .isEqualTo(written.alice().id());
            assertThat(s.auth.login("alice", ALICE_PASSWORD, null).user().id()).as("login " + where)
                    .isEqualTo(written.alice().id());
            assertThatThrownBy(() -> s.auth.login("alice", "wrong-Password-1", null))
                    .isInstanceOf(ServiceException.Unauthorized.class);

            ValidatedApiKey key = s.keys.validate(written.supportKey(), CallerIdentity.NONE);
            assertThat(key.key().id()).isEqualTo(written.supportKeyId());
            assertThat(key.systemPrompt()).as("prompt of the key " + where).isEqualTo(written.prompt());

            assertThat(s.history.latest("session-1", 500)).as("history " + where).isEqualTo(history);
            ApiKeyFingerprint owner = ApiKeyFingerprint.of(written.supportKey());
            ChatTurn next = s.history.addTurn("session-1", owner, written.alice().id(), NewMessage.user("continued " + where),
                    NewMessage.assistant("still here"), null);
            assertThat(s.history.latest("session-1", 500)).hasSize(history.size() + 2)
                    .endsWith(next.user(), next.assistant());
            assertThat(next.user().timestamp()).isAfterOrEqualTo(history.getLast().timestamp());
            // A replayed request is recognised by the carried-over message hashes.
            assertThat(s.history.addTurn("session-1", owner, written.alice().id(), NewMessage.user("question 1"),
                    NewMessage.assistant("answer 1"), "request-1").replayed()).isTrue();

            ApiKeyFingerprint stranger = ApiKeyFingerprint.of(written.otherKey());
            assertThatThrownBy(() -> s.history.addTurn("session-1", stranger, null, NewMessage.user("intrude"),
                    NewMessage.assistant("no"), null)).isInstanceOf(ServiceException.Forbidden.class);
            assertThatThrownBy(() -> s.history.latest("session-1", stranger, 10))
                    .isInstanceOf(ServiceException.Forbidden.class);
            assertThat(s.db.count(OrbitSchema.CHAT_HISTORY, dev.orbit.db.Filters.eq("session_id", "session-1")))
                    .isEqualTo(history.size() + 2);

            // The audit trail reads back, and a further call adds to the carried rollups (their unique key holds).
            AuditService.EventPage events = s.audit.events(new AuditService.EventQuery(AuditService.Source.ALL, 50, 0,
                    null, null, null, null, null, null, null, null, null));
            assertThat(events.adminTotal()).as("admin audit " + where).isEqualTo(1);
            long requests = s.usage.report(new UsageService.UsageQuery(1, "hour", "none", null, null, null, null, 10))
                    .totals().requests();
            assertThat(events.chatTotal()).as("conversation audit " + where).isEqualTo(requests);
            s.chatCall(written.supportKey());
            assertThat(s.usage.report(new UsageService.UsageQuery(1, "day", "none", null, null, null, null, 10))
                    .totals().requests()).as("usage " + where).isEqualTo(requests + 1);
            assertThat(s.db.count(OrbitSchema.USAGE_ROLLUPS, dev.orbit.db.Filters.all())).isBetween(2L, 4L);
            return next;
        }
    }
}
