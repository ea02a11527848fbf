package dev.orbit.db.sqlite;

import dev.orbit.db.sql.InstantText;
import static dev.orbit.db.Filters.all;
import static dev.orbit.db.Filters.and;
import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.Filters.gte;
import static dev.orbit.db.Filters.lt;
import static dev.orbit.db.Filters.lte;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.DatabaseException;
import dev.orbit.db.Document;
import dev.orbit.db.DuplicateKeyException;
import dev.orbit.db.FieldSpec;
import dev.orbit.db.FindOptions;
import dev.orbit.db.IndexSpec;
import dev.orbit.db.OlderChatIndexes;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.SchemaVersionException;
import dev.orbit.db.Sort;
import dev.orbit.db.Updates;
import dev.orbit.service.ApiKeyFingerprint;
import dev.orbit.service.ChatHistoryService;
import dev.orbit.service.ChatHistorySettings;
import dev.orbit.service.ChatMessage;
import dev.orbit.service.NewMessage;
import java.time.Clock;
import java.time.ZoneOffset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class SqliteMigrationTest {
    private static final Pattern CANONICAL =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}\\+00:00");

    @TempDir
    Path dir;

    // ---- a new file ----

    @Test
    void a_new_file_is_migrated_to_the_latest_version_with_every_table_column_and_index() throws Exception {
        Path file = dir.resolve("orbit.db");

        open(file).close();

        assertThat(RawSqlite.userVersion(file)).isEqualTo(Migrations.LATEST);
        for (CollectionSpec spec : OrbitSchema.SCHEMA.collections()) {
            assertThat(RawSqlite.columns(file, spec.name())).as(spec.name())
                    .containsExactlyInAnyOrderElementsOf(spec.fields().values().stream().map(FieldSpec::column).toList());
            for (IndexSpec index : spec.indexesOn(IndexSpec.Backends.SQL)) {
                assertIndex(file, spec, index);
            }
        }
        assertThat(RawSqlite.scalar(file, "PRAGMA journal_mode")).isEqualTo("wal");
    }

    @Test
    void initializing_twice_and_reopening_change_nothing() throws Exception {
        Path file = dir.resolve("orbit.db");
        try (SqliteDatabaseService db = open(file)) {
            db.insertOne(OrbitSchema.CHAT_HISTORY, message("s", "kept", Instant.parse("2026-01-02T03:04:05Z")));
            db.initialize();
            assertThat(db.count(OrbitSchema.CHAT_HISTORY, all())).isEqualTo(1);
        }
        Map<String, Object> before = snapshot(file);
        String bytesBefore = sha256(file);

        for (int i = 0; i < 2; i++) {
            try (SqliteDatabaseService db = open(file)) {
                assertThat(db.findOne(OrbitSchema.CHAT_HISTORY, eq("content", "kept"))).isPresent();
            }
        }

        assertThat(snapshot(file)).isEqualTo(before);
        assertThat(sha256(file)).as("database file bytes after re-opening").isEqualTo(bytesBefore);
    }

    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {12, 13})
    void an_older_file_loses_the_retired_indexes_and_its_messages_keep_their_unique_places(int version)
            throws Exception {
        Path file = dir.resolve("orbit.db");
        ApiKeyFingerprint key = ApiKeyFingerprint.of("orbit_CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC");
        try (SqliteDatabaseService db = open(file)) {
            ChatHistoryService history = new ChatHistoryService(db, ChatHistorySettings.defaults(), Clock.systemUTC());
            history.addTurn("s", key, "u", NewMessage.user("q"), NewMessage.assistant("a"), null);
            history.addTurn("s", key, "u", NewMessage.user("q2"), NewMessage.assistant("a2"), "retry-1");
        }
        // The indexes that version had.
        RawSqlite.execute(file, OlderChatIndexes.then(version == 12 ? OlderChatIndexes.VERSION_12
                : OlderChatIndexes.VERSION_13, "PRAGMA user_version = " + version));

        try (SqliteDatabaseService db = open(file)) {
            assertThat(RawSqlite.userVersion(file)).isEqualTo(Migrations.LATEST);
            for (CollectionSpec spec : List.of(OrbitSchema.CHAT_HISTORY_SPEC, OrbitSchema.CHAT_SESSIONS_SPEC)) {
                for (IndexSpec index : spec.indexesOn(IndexSpec.Backends.SQL)) {
                    assertIndex(file, spec, index);
                }
                for (String dropped : spec.droppedIndexesOn(IndexSpec.Backends.SQL)) {
                    assertNoIndex(file, dropped);
                }
            }
            assertThat(db.findMany(OrbitSchema.CHAT_HISTORY, eq("session_id", "s"), FindOptions.sortedBy(
                    Sort.ascending("sequence")))).extracting(d -> d.getString("content"))
                    .containsExactly("q", "a", "q2", "a2");
            // A place taken stays taken, as a gateway of the previous version writes it too.
            Document first = db.findOne(OrbitSchema.CHAT_HISTORY, eq("sequence", 1L)).orElseThrow();
            Document again = message("s", "same place", Instant.parse("2026-01-02T03:04:05Z"));
            again.put("sequence", 1L);
            again.put("sequence_key", first.getString("sequence_key"));
            assertThatThrownBy(() -> db.insertOne(OrbitSchema.CHAT_HISTORY, again))
                    .isInstanceOf(DuplicateKeyException.class);
            // And an idempotency key's turn is stored once: its retry replays it.
            new ChatHistoryService(db, ChatHistorySettings.defaults(), Clock.systemUTC())
                    .addTurn("s", key, "u", NewMessage.user("q2"), NewMessage.assistant("a2"), "retry-1");
            assertThat(db.count(OrbitSchema.CHAT_HISTORY, eq("session_id", "s"))).isEqualTo(4);
        }
    }

    // ---- a database from a newer ORBIT ----

    @Test
    void a_version_3_file_gains_the_message_places_and_its_sessions_continue_after_their_old_messages()
            throws Exception {
        Path file = dir.resolve("orbit.db");
        open(file).close();
        // What version 3 had: no places. Its messages were ordered by timestamp alone.
        RawSqlite.execute(file, "DROP INDEX idx_chat_history_session_sequence",
                "DROP INDEX idx_chat_history_session_idempotency",
                "ALTER TABLE chat_history DROP COLUMN sequence", "ALTER TABLE chat_history DROP COLUMN sequence_key",
                "PRAGMA user_version = 3");
        Instant old = Instant.parse("2026-01-01T00:00:00Z");
        RawSqlite.execute(file,
                "INSERT INTO chat_history (id, session_id, role, content, timestamp) VALUES ('b', 's', 'user', 'old 2',"
                        + " '" + InstantText.format(old.plusSeconds(1)) + "')",
                "INSERT INTO chat_history (id, session_id, role, content, timestamp) VALUES ('a', 's', 'user', 'old 1',"
                        + " '" + InstantText.format(old) + "')");

        try (SqliteDatabaseService db = open(file)) {
            assertThat(RawSqlite.userVersion(file)).isEqualTo(Migrations.LATEST);
            for (IndexSpec index : OrbitSchema.CHAT_HISTORY_SPEC.indexesOn(IndexSpec.Backends.SQL)) {
                assertIndex(file, OrbitSchema.CHAT_HISTORY_SPEC, index);
            }
            ChatHistoryService history = new ChatHistoryService(db, ChatHistorySettings.defaults(),
                    Clock.fixed(old, ZoneOffset.UTC)); // a clock behind the stored messages
            history.addTurn("s", ApiKeyFingerprint.of("orbit_CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"), null,
                    NewMessage.user("new"), NewMessage.assistant("reply"), null);
            assertThat(history.latest("s", 10)).extracting(ChatMessage::content)
                    .containsExactly("old 1", "old 2", "new", "reply");
        }
    }

    @Test
    void a_database_from_a_newer_orbit_is_refused_with_a_message_to_upgrade_and_left_unchanged() throws Exception {
        Path file = dir.resolve("newer.db");
        try (SqliteDatabaseService db = open(file)) {
            db.insertOne(OrbitSchema.CHAT_HISTORY, message("s", "from the future", Instant.parse("2030-01-01T00:00:00Z")));
        }
        int newer = Migrations.LATEST + 1;
        RawSqlite.execute(file, "PRAGMA user_version = " + newer);
        Map<String, Object> before = snapshot(file);
        String bytesBefore = sha256(file);

        SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(file), OrbitSchema.SCHEMA);
        try {
            assertThatThrownBy(db::initialize)
                    .isInstanceOf(SchemaVersionException.class)
                    .hasMessageContaining("upgrade")
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining(String.valueOf(newer))
                    .hasMessageContaining(String.valueOf(Migrations.LATEST));
        } finally {
            db.close();
        }

        assertThat(RawSqlite.userVersion(file)).isEqualTo(newer);
        assertThat(snapshot(file)).isEqualTo(before);
        assertThat(sha256(file)).as("database file bytes after the refusal").isEqualTo(bytesBefore);
    }

    @Test
    void a_newer_database_in_rollback_journal_mode_is_refused_without_being_switched_to_wal() throws Exception {
        Path file = dir.resolve("newer-rollback.db");
        RawSqlite.execute(file, "CREATE TABLE future_things (id TEXT PRIMARY KEY)",
                "INSERT INTO future_things VALUES ('x')", "PRAGMA user_version = " + (Migrations.LATEST + 5));
        String bytesBefore = sha256(file);

        SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(file), OrbitSchema.SCHEMA);
        try {
            assertThatThrownBy(db::initialize).isInstanceOf(SchemaVersionException.class);
        } finally {
            db.close();
        }

        assertThat(RawSqlite.scalar(file, "PRAGMA journal_mode")).isEqualTo("delete");
        assertThat(sha256(file)).as("database file bytes after the refusal").isEqualTo(bytesBefore);
    }

    // ---- two services starting on one new file at once ----

    @Test
    void two_services_initializing_one_new_file_at_once_both_succeed_and_both_write() throws Exception {
        Path reference = dir.resolve("alone.db");
        open(reference).close();
        Map<String, String> expectedSchema = RawSqlite.schemaObjects(reference);

        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                Path file = dir.resolve("race-" + round + ".db");
                CountDownLatch start = new CountDownLatch(1);
                Callable<SqliteDatabaseService> starter = () -> {
                    start.await();
                    return open(file);
                };
                Future<SqliteDatabaseService> first = threads.submit(starter);
                Future<SqliteDatabaseService> second = threads.submit(starter);
                start.countDown();

                try (SqliteDatabaseService a = first.get(30, TimeUnit.SECONDS);
                     SqliteDatabaseService b = second.get(30, TimeUnit.SECONDS)) {
                    a.insertOne(OrbitSchema.CHAT_HISTORY, message("a", "from a", Instant.now()));
                    b.insertOne(OrbitSchema.CHAT_HISTORY, message("b", "from b", Instant.now()));
                    assertThat(a.count(OrbitSchema.CHAT_HISTORY, all())).isEqualTo(2);
                    assertThat(b.count(OrbitSchema.CHAT_HISTORY, all())).isEqualTo(2);
                }
                assertThat(RawSqlite.userVersion(file)).isEqualTo(Migrations.LATEST);
                assertThat(RawSqlite.schemaObjects(file)).isEqualTo(expectedSchema);
                assertThat(RawSqlite.integrityCheck(file)).isEqualTo("ok");
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void two_services_upgrading_one_reference_file_at_once_leave_the_same_result_as_one_upgrade() throws Exception {
        Path alone = dir.resolve("alone.db");
        ReferenceDatabase.create(alone);
        open(alone).close();
        Map<String, Object> expected = snapshot(alone);

        Path file = referenceFile();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Callable<SqliteDatabaseService> starter = () -> {
                start.await();
                return open(file);
            };
            Future<SqliteDatabaseService> first = threads.submit(starter);
            Future<SqliteDatabaseService> second = threads.submit(starter);
            start.countDown();
            first.get(30, TimeUnit.SECONDS).close();
            second.get(30, TimeUnit.SECONDS).close();
        } finally {
            threads.shutdownNow();
        }

        assertThat(snapshot(file)).isEqualTo(expected);
    }

    // ---- a reference-shaped file ----

    @Test
    void a_reference_file_gains_the_missing_columns_and_indexes_and_keeps_everything_else() throws Exception {
        Path file = referenceFile();
        Map<String, String> objectsBefore = RawSqlite.schemaObjects(file);
        List<Map<String, Object>> extraRowsBefore = RawSqlite.query(file, "SELECT * FROM adapter_stats ORDER BY name");

        open(file).close();

        assertThat(RawSqlite.userVersion(file)).isEqualTo(Migrations.LATEST);
        assertThat(RawSqlite.columns(file, "api_keys")).contains("allowed_user_ids", "allowed_emails",
                "quota_daily_limit", "quota_monthly_limit", "quota_throttle_enabled", "quota_throttle_priority");
        assertThat(RawSqlite.columns(file, "chat_history")).contains("message_hash", "token_count", "api_key_hash");
        assertThat(RawSqlite.columns(file, "users")).contains("provider", "external_id", "email");
        for (CollectionSpec spec : OrbitSchema.SCHEMA.collections()) {
            for (IndexSpec index : spec.indexesOn(IndexSpec.Backends.SQL)) {
                assertIndex(file, spec, index);
            }
        }
        Map<String, String> objectsAfter = RawSqlite.schemaObjects(file);
        assertThat(objectsAfter).containsEntry("table adapter_stats", objectsBefore.get("table adapter_stats"))
                .containsEntry("index idx_chat_session", objectsBefore.get("index idx_chat_session"))
                .containsEntry("index idx_sessions_exp", objectsBefore.get("index idx_sessions_exp"));
        assertThat(RawSqlite.query(file, "SELECT * FROM adapter_stats ORDER BY name")).isEqualTo(extraRowsBefore);
        assertThat(RawSqlite.integrityCheck(file)).isEqualTo("ok");
    }

    @Test
    void every_reference_row_reads_back_with_java_types_and_the_instants_it_meant() throws Exception {
        Path file = referenceFile();

        try (SqliteDatabaseService db = open(file)) {
            for (ReferenceDatabase.Stamp stamp : ReferenceDatabase.STAMPS) {
                Document doc = db.findOne(stamp.table(), eq("_id", stamp.id())).orElseThrow();
                assertThat(doc.get(stamp.column())).as(stamp.toString())
                        .isEqualTo(stamp.intended().truncatedTo(ChronoUnit.MILLIS));
            }

            Document admin = db.findOne(OrbitSchema.USERS, eq("username", "admin")).orElseThrow();
            assertThat(admin.get("active")).isEqualTo(Boolean.TRUE);
            assertThat(admin.get("roles")).isEqualTo(List.of("admin", "user"));
            assertThat(admin.id()).isEqualTo("u-admin");
            Document bob = db.findOne(OrbitSchema.USERS, eq("username", "bob")).orElseThrow();
            assertThat(bob.get("active")).isEqualTo(Boolean.FALSE);
            assertThat(bob.has("last_login")).isFalse();
            assertThat(bob.has("email")).as("a column the reference lacked reads as missing").isFalse();

            assertThat(db.findOne(OrbitSchema.API_KEYS, eq("_id", "k-2")).orElseThrow().asMap())
                    .containsEntry("active", false).containsEntry("notes", "paused").doesNotContainKey("adapter_name")
                    .doesNotContainKey("allowed_user_ids");

            Document first = db.findOne(OrbitSchema.CHAT_HISTORY, eq("_id", "c-1")).orElseThrow();
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("model", "gpt-4o");
            metadata.put("tokens", 12L);
            metadata.put("ok", true);
            metadata.put("tags", List.of("a", "b"));
            assertThat(first.getMap("metadata")).isEqualTo(metadata);
            assertThat(first.getString("api_key")).isEqualTo("...abc123");

            assertThat(db.count(OrbitSchema.USERS, eq("active", true))).isEqualTo(1);
            assertThat(db.count(OrbitSchema.API_KEYS, eq("active", false))).isEqualTo(1);
        }
    }

    @Test
    void reference_timestamps_are_rewritten_in_the_canonical_text_form() throws Exception {
        Path file = referenceFile();

        open(file).close();

        for (ReferenceDatabase.Stamp stamp : ReferenceDatabase.STAMPS) {
            String raw = (String) RawSqlite.scalar(file,
                    "SELECT " + stamp.column() + " FROM " + stamp.table() + " WHERE id = ?", stamp.id());
            assertThat(raw).as(stamp.toString()).matches(CANONICAL);
            assertThat(InstantText.parse(raw)).as(stamp.toString())
                    .isEqualTo(stamp.intended().truncatedTo(ChronoUnit.MILLIS));
        }
        assertThat(RawSqlite.scalar(file, "SELECT last_used FROM adapter_stats WHERE name = 'default'"))
                .as("a timestamp in a table ORBIT does not own is left alone").isEqualTo("2026-01-02 03:04:05");
    }

    @Test
    void sorting_and_range_queries_follow_time_order_across_the_formerly_mixed_formats() throws Exception {
        Path file = referenceFile();

        try (SqliteDatabaseService db = open(file)) {
            List<String> ascending = ids(db.findMany(OrbitSchema.CHAT_HISTORY, eq("session_id", "sess-1"),
                    FindOptions.sortedBy(Sort.ascending("timestamp"))));
            List<String> descending = ids(db.findMany(OrbitSchema.CHAT_HISTORY, eq("session_id", "sess-1"),
                    FindOptions.sortedBy(Sort.descending("timestamp"))));
            List<String> latestTwo = ids(db.findMany(OrbitSchema.CHAT_HISTORY, eq("session_id", "sess-1"),
                    FindOptions.sortedBy(Sort.descending("timestamp")).limit(2)));
            List<String> inRange = ids(db.findMany(OrbitSchema.CHAT_HISTORY,
                    and(gte("timestamp", Instant.parse("2026-01-02T03:04:05Z")),
                            lt("timestamp", Instant.parse("2026-01-02T04:00:00Z"))),
                    FindOptions.sortedBy(Sort.ascending("timestamp"))));

            assertThat(ascending).isEqualTo(ReferenceDatabase.MESSAGES_IN_TIME_ORDER);
            assertThat(descending).isEqualTo(ReferenceDatabase.MESSAGES_IN_TIME_ORDER.reversed());
            assertThat(latestTwo).containsExactly("c-6", "c-4");
            assertThat(inRange).containsExactly("c-1", "c-2", "c-3", "c-4");
            assertThat(db.count(OrbitSchema.CHAT_HISTORY, eq("timestamp", Instant.parse("2026-01-02T03:04:04Z"))))
                    .as("the +02:00 row found by its UTC instant").isEqualTo(1);
            assertThat(db.count(OrbitSchema.API_KEYS, gte("created_at", Instant.parse("2026-01-02T04:00:00Z"))))
                    .as("the -05:00 key is after 04:00 UTC").isEqualTo(1);
        }
    }

    @Test
    void a_reference_timestamp_with_microseconds_is_found_again_by_the_instant_it_reads_back_as() throws Exception {
        Path file = referenceFile();

        try (SqliteDatabaseService db = open(file)) {
            Instant readBack = db.findOne(OrbitSchema.CHAT_HISTORY, eq("_id", "c-1")).orElseThrow()
                    .getInstant("timestamp");

            assertThat(ids(db.findMany(OrbitSchema.CHAT_HISTORY, eq("timestamp", readBack))))
                    .as("eq on the value read back").containsExactly("c-1");
            assertThat(ids(db.findMany(OrbitSchema.CHAT_HISTORY, lte("timestamp", readBack))))
                    .as("lte on the value read back").containsExactlyInAnyOrder("c-5", "c-1");
        }
    }

    @Test
    void roles_stored_as_spaced_json_text_match_by_element_and_as_a_whole_list() throws Exception {
        Path file = referenceFile();

        try (SqliteDatabaseService db = open(file)) {
            assertThat(ids(db.findMany(OrbitSchema.USERS, eq("roles", "admin")))).containsExactly("u-admin");
            assertThat(ids(db.findMany(OrbitSchema.USERS, eq("roles", "user"))))
                    .containsExactlyInAnyOrder("u-admin", "u-bob");
            assertThat(ids(db.findMany(OrbitSchema.USERS, eq("roles", List.of("admin", "user")))))
                    .containsExactly("u-admin");
        }
    }

    @Test
    void new_writes_to_an_upgraded_reference_file_work_and_its_unique_constraints_still_hold() throws Exception {
        Path file = referenceFile();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        try (SqliteDatabaseService db = open(file)) {
            String message = db.insertOne(OrbitSchema.CHAT_HISTORY, message("sess-1", "newest", now)
                    .put("message_hash", "h1").put("token_count", 7L).put("api_key_hash", "f".repeat(64)));
            String key = db.insertOne(OrbitSchema.API_KEYS, Document.of("api_key", "orbit_new", "client_name", "new",
                    "active", true, "created_at", now, "allowed_user_ids", List.of("u-admin"),
                    "allowed_emails", List.of("a@example.com"), "quota_daily_limit", 100L));
            db.updateOne(OrbitSchema.USERS, eq("username", "bob"), Updates.combine(Updates.set("last_login", now),
                    Updates.set("email", "bob@example.com"), Updates.push("roles", "admin")));

            assertThat(db.findOne(OrbitSchema.CHAT_HISTORY, eq("_id", message)).orElseThrow().asMap())
                    .containsEntry("message_hash", "h1").containsEntry("token_count", 7L).containsEntry("timestamp", now);
            assertThat(db.findOne(OrbitSchema.API_KEYS, eq("_id", key)).orElseThrow().asMap())
                    .containsEntry("allowed_user_ids", List.of("u-admin")).containsEntry("quota_daily_limit", 100L);
            Document bob = db.findOne(OrbitSchema.USERS, eq("_id", "u-bob")).orElseThrow();
            assertThat(bob.asMap()).containsEntry("last_login", now).containsEntry("email", "bob@example.com")
                    .containsEntry("roles", List.of("user", "admin"));
            assertThat(db.findMany(OrbitSchema.CHAT_HISTORY, eq("session_id", "sess-1"),
                    FindOptions.sortedBy(Sort.descending("timestamp")).limit(1)).getFirst().id()).isEqualTo(message);

            assertThatThrownBy(() -> db.insertOne(OrbitSchema.USERS, Document.of("username", "admin", "password", "x",
                    "role", "user", "active", true, "created_at", now)))
                    .as("the reference's own UNIQUE(username)").isInstanceOf(DuplicateKeyException.class);
            assertThatThrownBy(() -> db.insertOne(OrbitSchema.CHAT_HISTORY,
                    message("sess-1", "again", now).put("message_hash", "h1")))
                    .as("the added UNIQUE(session_id, message_hash)").isInstanceOf(DuplicateKeyException.class);
        }
        String raw = (String) RawSqlite.scalar(file, "SELECT last_login FROM users WHERE id = 'u-bob'");
        assertThat(raw).isEqualTo(InstantText.format(now));
    }

    @Test
    void an_upgraded_reference_file_reopens_without_further_changes() throws Exception {
        Path file = referenceFile();
        open(file).close();
        Map<String, Object> before = snapshot(file);
        String bytesBefore = sha256(file);

        open(file).close();

        assertThat(snapshot(file)).isEqualTo(before);
        assertThat(sha256(file)).isEqualTo(bytesBefore);
    }

    @Test
    void an_unparseable_reference_timestamp_refuses_the_upgrade_naming_the_row_and_changes_nothing() throws Exception {
        Path file = referenceFile();
        RawSqlite.execute(file, "INSERT INTO chat_history (id, session_id, role, content, timestamp)"
                + " VALUES ('c-bad', 'sess-1', 'user', 'x', 'last tuesday')");
        Map<String, Object> before = snapshot(file);

        SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(file), OrbitSchema.SCHEMA);
        try {
            assertThatThrownBy(db::initialize)
                    .isInstanceOf(SchemaVersionException.class)
                    .hasMessageContaining("chat_history.timestamp")
                    .hasMessageContaining("c-bad")
                    .hasMessageContaining("last tuesday");
        } finally {
            db.close();
        }

        assertThat(snapshot(file)).as("columns, indexes, rows and user_version").isEqualTo(before);
    }

    @Test
    void a_reference_row_with_malformed_json_fails_to_read_as_a_database_exception_naming_where() throws Exception {
        Path file = referenceFile();
        RawSqlite.execute(file, "UPDATE chat_history SET metadata_json = '{\"model\": \"gpt' WHERE id = 'c-2'");

        try (SqliteDatabaseService db = open(file)) {
            assertThat(db.findOne(OrbitSchema.CHAT_HISTORY, eq("_id", "c-1"))).as("other rows still read").isPresent();
            assertThatThrownBy(() -> db.findMany(OrbitSchema.CHAT_HISTORY, eq("session_id", "sess-1")))
                    .isInstanceOf(DatabaseException.class)
                    .hasMessageContaining("chat_history")
                    .hasMessageContaining("metadata");
        }
    }

    // ---- helpers ----

    private Path referenceFile() throws Exception {
        Path file = dir.resolve("reference.db");
        ReferenceDatabase.create(file);
        return file;
    }

    private static SqliteDatabaseService open(Path file) {
        SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(file), OrbitSchema.SCHEMA);
        try {
            db.initialize();
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static Document message(String session, String content, Instant at) {
        return Document.of("session_id", session, "role", "user", "content", content, "timestamp", at);
    }

    private static List<String> ids(List<Document> documents) {
        return documents.stream().map(Document::id).toList();
    }

    /** Everything observable through SQL: user_version, every schema object and every table's rows. */
    private static Map<String, Object> snapshot(Path file) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user_version", RawSqlite.userVersion(file));
        Map<String, String> objects = RawSqlite.schemaObjects(file);
        out.put("objects", objects);
        List<String> tables = new ArrayList<>();
        objects.keySet().stream().filter(k -> k.startsWith("table ")).forEach(k -> tables.add(k.substring(6)));
        for (String table : tables) {
            out.put("rows " + table, RawSqlite.query(file, "SELECT * FROM \"" + table + "\" ORDER BY rowid"));
        }
        return out;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static void assertIndex(Path file, CollectionSpec spec, IndexSpec index) throws Exception {
        List<Map<String, Object>> rows = RawSqlite.query(file,
                "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'index' AND name = ?", index.name());
        assertThat(rows).as("index " + index.name()).hasSize(1);
        assertThat(rows.getFirst().get("tbl_name")).isEqualTo(spec.name());
        assertThat(((String) rows.getFirst().get("sql")).startsWith("CREATE UNIQUE INDEX"))
                .as("index " + index.name() + " unique").isEqualTo(index.unique());
        List<Object> columns = RawSqlite.query(file, "SELECT name FROM pragma_index_info(?) ORDER BY seqno", index.name())
                .stream().map(r -> r.get("name")).toList();
        assertThat(columns).as("columns of " + index.name())
                .isEqualTo(index.keys().stream().map(k -> spec.field(k.field()).column()).toList());
        Object partial = RawSqlite.scalar(file, "SELECT partial FROM pragma_index_list(?) WHERE name = ?", spec.name(),
                index.name());
        assertThat(((Number) partial).intValue()).as("index " + index.name() + " partial")
                .isEqualTo(index.present().isEmpty() && index.exceptEqual() == null ? 0 : 1);
        for (String field : index.present()) {
            assertThat((String) rows.getFirst().get("sql")).as("condition of " + index.name())
                    .contains("\"" + spec.field(field).column() + "\" IS NOT NULL");
        }
        if (index.exceptEqual() != null) {
            assertThat((String) rows.getFirst().get("sql")).as("condition of " + index.name())
                    .contains("\"" + spec.field(index.exceptEqual().field()).column() + "\" IS NOT \""
                            + spec.field(index.exceptEqual().other()).column() + "\"");
        }
    }

    private static void assertNoIndex(Path file, String name) throws Exception {
        assertThat(RawSqlite.query(file, "SELECT name FROM sqlite_master WHERE type = 'index' AND name = ?", name))
                .as("retired index " + name).isEmpty();
    }
}
