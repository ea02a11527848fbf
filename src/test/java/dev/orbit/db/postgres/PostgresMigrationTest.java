package dev.orbit.db.postgres;

import static dev.orbit.db.Filters.all;
import static dev.orbit.db.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.db.Document;
import dev.orbit.db.DuplicateKeyException;
import dev.orbit.db.FindOptions;
import dev.orbit.db.IndexSpec;
import dev.orbit.db.OlderChatIndexes;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.SchemaVersionException;
import dev.orbit.db.Sort;
import dev.orbit.db.sqlite.ReferenceDatabase;
import dev.orbit.service.ApiKeyFingerprint;
import dev.orbit.service.ChatHistoryService;
import dev.orbit.service.ChatHistorySettings;
import dev.orbit.service.NewMessage;
import java.time.Clock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Versioned migrations on PostgreSQL: recorded in the database, applied once under an advisory lock when
 * several gateways start together, a newer database refused, and a database written by the reference ORBIT's
 * PostgreSQL backend (built here with its layout) opened and upgraded in place.
 */
class PostgresMigrationTest {
    private final List<PostgresOptions> databases = new ArrayList<>();
    private final List<PostgresDatabaseService> opened = new ArrayList<>();

    private PostgresOptions emptyDatabase() {
        PostgresOptions options = PostgresTestServer.newEmptyDatabase();
        databases.add(options);
        return options;
    }

    private PostgresDatabaseService open(PostgresOptions options) {
        PostgresDatabaseService db = new PostgresDatabaseService(options, OrbitSchema.SCHEMA);
        opened.add(db);
        db.initialize();
        return db;
    }

    @AfterEach
    void dropEverything() {
        opened.forEach(PostgresDatabaseService::close);
        databases.forEach(PostgresTestServer::drop);
    }

    private static void sql(PostgresOptions options, String... statements) throws Exception {
        try (Connection c = PostgresTestServer.connect(options); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static List<String> column(PostgresOptions options, String query) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = PostgresTestServer.connect(options); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery(query)) {
            while (rows.next()) {
                out.add(rows.getString(1));
            }
        }
        return out;
    }

    private static String typeOf(PostgresOptions options, String table, String column) throws Exception {
        return column(options, "SELECT data_type FROM information_schema.columns WHERE table_name = '" + table
                + "' AND column_name = '" + column + "'").getFirst();
    }

    @Test
    void aNewDatabaseGetsEveryTableInNativeTypesAndItsVersionRecorded() throws Exception {
        PostgresOptions options = emptyDatabase();
        PostgresDatabaseService db = open(options);
        assertThat(db.versionFound()).isZero();
        assertThat(column(options, "SELECT version FROM orbit_schema_migrations ORDER BY version"))
                .isEqualTo(everyVersion());
        assertThat(typeOf(options, "users", "created_at")).isEqualTo("timestamp with time zone");
        assertThat(typeOf(options, "users", "active")).isEqualTo("boolean");
        assertThat(typeOf(options, "users", "roles")).isEqualTo("jsonb");
        assertThat(typeOf(options, "chat_history", "metadata_json")).isEqualTo("jsonb");
        assertThat(typeOf(options, "chat_history", "token_count")).isEqualTo("bigint");
        assertThat(column(options, "SELECT indexname FROM pg_indexes WHERE tablename = 'chat_history'"))
                .contains("idx_chat_history_session_sequence", "idx_chat_history_session_idempotency")
                .doesNotContainAnyElementsOf(OrbitSchema.CHAT_HISTORY_SPEC.droppedIndexesOn(IndexSpec.Backends.SQL));
        assertThat(PostgresDatabaseService.schemaVersion(options)).isEqualTo(PostgresDatabaseService.latestSchemaVersion());
    }

    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {12, 13})
    void anOlderDatabaseLosesTheRetiredIndexesAndItsMessagesKeepTheirUniquePlaces(int version) throws Exception {
        PostgresOptions options = emptyDatabase();
        PostgresDatabaseService first = open(options);
        ChatHistoryService history = new ChatHistoryService(first, ChatHistorySettings.defaults(), Clock.systemUTC());
        ApiKeyFingerprint key = ApiKeyFingerprint.of("orbit_CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC");
        history.addTurn("s", key, "u", NewMessage.user("q"), NewMessage.assistant("a"), null);
        history.addTurn("s", key, "u", NewMessage.user("q2"), NewMessage.assistant("a2"), "retry-1");
        first.close();
        // The indexes that version had.
        sql(options, OlderChatIndexes.then(version == 12 ? OlderChatIndexes.VERSION_12 : OlderChatIndexes.VERSION_13,
                "DELETE FROM orbit_schema_migrations WHERE version > " + version));

        PostgresDatabaseService db = open(options);

        assertThat(db.versionFound()).isEqualTo(version);
        assertThat(column(options, "SELECT indexname FROM pg_indexes WHERE tablename IN ('chat_history',"
                + " 'chat_sessions')")).containsAll(List.of("idx_chat_history_session_sequence",
                        "idx_chat_history_session_idempotency", "idx_chat_sessions_named_user_activity"))
                .doesNotContainAnyElementsOf(OrbitSchema.CHAT_HISTORY_SPEC.droppedIndexesOn(IndexSpec.Backends.SQL))
                .doesNotContainAnyElementsOf(OrbitSchema.CHAT_SESSIONS_SPEC.droppedIndexesOn(IndexSpec.Backends.SQL));
        assertThat(column(options, "SELECT indexdef FROM pg_indexes WHERE indexname IN"
                + " ('idx_chat_history_session_sequence', 'idx_chat_history_session_idempotency',"
                + " 'idx_chat_sessions_named_user_activity') ORDER BY 1"))
                .containsExactly("CREATE INDEX idx_chat_sessions_named_user_activity ON public.chat_sessions USING btree"
                                + " (user_id NULLS FIRST, last_activity NULLS FIRST) WHERE (user_id IS NOT NULL)",
                        "CREATE UNIQUE INDEX idx_chat_history_session_idempotency ON public.chat_history USING btree"
                                + " (session_id NULLS FIRST, message_hash NULLS FIRST)"
                                + " WHERE (message_hash IS DISTINCT FROM sequence_key)",
                        "CREATE UNIQUE INDEX idx_chat_history_session_sequence ON public.chat_history USING btree"
                                + " (session_id NULLS FIRST, sequence NULLS FIRST)");
        // A place taken stays taken, as a gateway of the previous version writes it too.
        Document taken = db.findOne(OrbitSchema.CHAT_HISTORY, eq("sequence", 1L)).orElseThrow();
        assertThatThrownBy(() -> db.insertOne(OrbitSchema.CHAT_HISTORY, Document.of("session_id", "s", "role", "user",
                "content", "same place", "timestamp", Instant.EPOCH, "sequence", 1L,
                "sequence_key", taken.getString("sequence_key")))).isInstanceOf(DuplicateKeyException.class);
        // And an idempotency key's turn is stored once: its retry replays it.
        ChatHistoryService after = new ChatHistoryService(db, ChatHistorySettings.defaults(), Clock.systemUTC());
        after.addTurn("s", key, "u", NewMessage.user("q2"), NewMessage.assistant("a2"), "retry-1");
        assertThat(db.count(OrbitSchema.CHAT_HISTORY, eq("session_id", "s"))).isEqualTo(4);
    }

    @Test
    void severalGatewaysStartingAtOnceApplyEachMigrationOnceAndAllWork() throws Exception {
        PostgresOptions options = emptyDatabase();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<PostgresDatabaseService>> starts = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                starts.add(() -> {
                    PostgresDatabaseService db = new PostgresDatabaseService(options.withPoolSize(2), OrbitSchema.SCHEMA);
                    synchronized (opened) {
                        opened.add(db);
                    }
                    db.initialize();
                    return db;
                });
            }
            List<PostgresDatabaseService> services = new ArrayList<>();
            for (Future<PostgresDatabaseService> started : pool.invokeAll(starts)) {
                services.add(started.get());
            }
            for (int i = 0; i < services.size(); i++) {
                services.get(i).insertOne(OrbitSchema.SYSTEM_PROMPTS, Document.of("name", "p" + i, "prompt", "x",
                        "version", "1", "created_at", Instant.EPOCH, "updated_at", Instant.EPOCH));
            }
            assertThat(services.getFirst().count(OrbitSchema.SYSTEM_PROMPTS, all())).isEqualTo(6);
        } finally {
            pool.shutdownNow();
        }
        assertThat(column(options, "SELECT version FROM orbit_schema_migrations ORDER BY version"))
                .as("each migration applied once").isEqualTo(everyVersion());
    }

    @Test
    void aDatabaseFromANewerOrbitIsRefusedAndLeftUnchanged() throws Exception {
        PostgresOptions options = emptyDatabase();
        open(options).close();
        int newer = PostgresDatabaseService.latestSchemaVersion() + 1;
        sql(options, "INSERT INTO orbit_schema_migrations (version, description) VALUES (" + newer + ", 'future')",
                "DROP INDEX idx_users_username");
        assertThatThrownBy(() -> open(options)).isInstanceOf(SchemaVersionException.class)
                .hasMessageContaining("schema version " + newer).hasMessageContaining("upgrade ORBIT");
        assertThat(column(options, "SELECT indexname FROM pg_indexes WHERE indexname = 'idx_users_username'")).isEmpty();
    }

    @Test
    void anUnreachableServerIsOneClearConnectionErrorWithinTheTimeout() {
        PostgresOptions nowhere = PostgresOptions.of("127.0.0.1", 1, "orbit", "orbit", "s3cret-pass", "disable")
                .withConnectTimeout(java.time.Duration.ofSeconds(1));
        long start = System.nanoTime();
        assertThatThrownBy(() -> open(nowhere)).isInstanceOf(dev.orbit.db.DatabaseConnectionException.class)
                .hasMessageStartingWith("cannot connect to PostgreSQL at postgresql://orbit@127.0.0.1:1/orbit")
                .hasMessageNotContaining("s3cret-pass");
        assertThat(System.nanoTime() - start).isLessThan(java.time.Duration.ofSeconds(10).toNanos());
    }

    // ------------------------------------------------------------ a database of the reference's PostgreSQL backend

    private PostgresOptions referenceDatabase() throws Exception {
        PostgresOptions options = emptyDatabase();
        sql(options, ReferenceDatabase.statements().toArray(String[]::new));
        return options;
    }

    @Test
    void aReferenceDatabaseIsUpgradedInPlaceToNativeTypesKeepingItsOtherTables() throws Exception {
        PostgresOptions options = referenceDatabase();
        assertThat(typeOf(options, "users", "created_at")).isEqualTo("text");
        PostgresDatabaseService db = open(options);
        assertThat(db.versionFound()).isZero();
        assertThat(typeOf(options, "users", "created_at")).isEqualTo("timestamp with time zone");
        assertThat(typeOf(options, "users", "active")).isEqualTo("boolean");
        assertThat(typeOf(options, "users", "roles")).isEqualTo("jsonb");
        assertThat(typeOf(options, "chat_history", "metadata_json")).isEqualTo("jsonb");
        assertThat(typeOf(options, "api_keys", "api_key_tail")).isEqualTo("text");
        assertThat(column(options, "SELECT name || ':' || calls FROM adapter_stats ORDER BY name"))
                .containsExactly("default:42", "qa:7");
        assertThat(column(options, "SELECT indexname FROM pg_indexes WHERE tablename = 'chat_history'"))
                .contains("idx_chat_session", "idx_chat_history_session_sequence");
    }

    @Test
    void everyReferenceRowReadsBackWithJavaTypesAndTheInstantsItMeant() throws Exception {
        PostgresDatabaseService db = open(referenceDatabase());
        for (ReferenceDatabase.Stamp stamp : ReferenceDatabase.STAMPS) {
            String field = stamp.column();
            Document row = db.findOne(stamp.table(), eq("_id", stamp.id())).orElseThrow();
            assertThat(row.getInstant(field)).as(stamp.table() + "." + field + " of " + stamp.id())
                    .isEqualTo(stamp.intended().truncatedTo(ChronoUnit.MILLIS));
        }
        Document admin = db.findOne(OrbitSchema.USERS, eq("username", "admin")).orElseThrow();
        assertThat(admin.getBoolean("active")).isTrue();
        assertThat(admin.getList("roles")).containsExactly("admin", "user");
        assertThat(db.findOne(OrbitSchema.USERS, eq("username", "bob")).orElseThrow().getBoolean("active")).isFalse();
        assertThat(db.findOne(OrbitSchema.CHAT_HISTORY, eq("_id", "c-1")).orElseThrow().getMap("metadata"))
                .isEqualTo(Map.of("model", "gpt-4o", "tokens", 12L, "ok", true, "tags", List.of("a", "b")));
        assertThat(db.findMany(OrbitSchema.USERS, eq("roles", "admin"))).extracting(d -> d.getString("username"))
                .containsExactly("admin");
        List<Document> messages = db.findMany(OrbitSchema.CHAT_HISTORY, eq("session_id", "sess-1"),
                FindOptions.sortedBy(Sort.ascending("timestamp")));
        assertThat(messages).extracting(Document::id).containsExactlyElementsOf(ReferenceDatabase.MESSAGES_IN_TIME_ORDER);
    }

    @Test
    void anUpgradedReferenceDatabaseTakesNewWritesKeepsItsUniqueConstraintsAndReopensUnchanged() throws Exception {
        PostgresOptions options = referenceDatabase();
        PostgresDatabaseService db = open(options);
        db.insertOne(OrbitSchema.USERS, Document.of("username", "carol", "password", "x", "role", "user",
                "active", true, "created_at", Instant.parse("2026-02-01T00:00:00Z")));
        assertThatThrownBy(() -> db.insertOne(OrbitSchema.USERS, Document.of("username", "admin", "password", "x",
                "role", "user", "active", true, "created_at", Instant.EPOCH))).isInstanceOf(DuplicateKeyException.class);
        db.close();
        List<String> before = column(options, "SELECT version FROM orbit_schema_migrations");
        PostgresDatabaseService again = open(options);
        assertThat(again.versionFound()).isEqualTo(PostgresDatabaseService.latestSchemaVersion());
        assertThat(column(options, "SELECT version FROM orbit_schema_migrations")).isEqualTo(before);
        assertThat(again.count(OrbitSchema.USERS, all())).isEqualTo(3);
    }

    private static List<String> everyVersion() {
        return PgMigrations.ALL.stream().map(m -> String.valueOf(m.version())).toList();
    }
}
