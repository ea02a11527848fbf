package dev.orbit.admin;

import static dev.orbit.admin.AdminTests.orbit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.DatabaseServiceFactory;
import dev.orbit.db.DatabaseServiceFactory.Backend;
import dev.orbit.db.Document;
import dev.orbit.db.Filters;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.sqlite.SqliteFiles;
import dev.orbit.db.sqlite.SqliteOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code orbit db backup} on SQLite while the gateway's database keeps being written. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OnlineBackupTest {
    private static final int MESSAGES_PER_SESSION = 5;

    @TempDir
    Path home;

    @Test
    void aBackupTakenUnderWriteLoadPassesTheIntegrityCheckAndIsOneConsistentSnapshotHoldingEveryEarlierCommit()
            throws Exception {
        Path file = home.resolve("orbit.db");
        Path backup = home.resolve("backups/orbit-backup.db"); // its directory is created too
        Set<String> committed = ConcurrentHashMap.newKeySet();
        Set<String> committedBeforeBackup;
        AdminTests.Run run;
        try (DatabaseService db = DatabaseServiceFactory.open(new Backend.Sqlite(SqliteOptions.defaults(file)),
                OrbitSchema.SCHEMA); ExecutorService pool = Executors.newFixedThreadPool(3)) {
            AtomicBoolean stop = new AtomicBoolean();
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                String writer = "w" + w;
                writers.add(pool.submit(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        String session = writer + "-" + n;
                        // A session marker and its messages in one transaction: a snapshot has all or none of them.
                        db.useTransaction(tx -> {
                            Instant now = Instant.now();
                            tx.insertOne(OrbitSchema.CHAT_SESSIONS, Document.of("session_id", session,
                                    "api_key_hash", "h", "created_at", now, "last_activity", now));
                            List<Document> messages = new ArrayList<>();
                            for (int i = 0; i < MESSAGES_PER_SESSION; i++) {
                                messages.add(Document.of("session_id", session, "role", "user", "content", "m" + i,
                                        "timestamp", now.plusMillis(i), "message_hash", session + "/" + i));
                            }
                            tx.insertMany(OrbitSchema.CHAT_HISTORY, messages);
                        });
                        committed.add(session);
                    }
                    return null;
                }));
            }
            awaitAtLeast(committed, 150);
            committedBeforeBackup = Set.copyOf(committed);

            run = orbit(home, "db", "backup", "--db", "sqlite:orbit.db", "--to", backup.toString());

            int committedRightAfter = committed.size();
            assertThat(committedRightAfter).as("writers kept committing while the backup ran")
                    .isGreaterThan(committedBeforeBackup.size());
            awaitAtLeast(committed, committedRightAfter + 30); // the writers were never held up
            stop.set(true);
            for (Future<?> writer : writers) {
                writer.get(30, TimeUnit.SECONDS);
            }
            assertThat(db.count(OrbitSchema.CHAT_SESSIONS, Filters.all())).isEqualTo(committed.size());
        }

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("backed up sqlite:" + file + " to " + backup + " (")
                .endsWith(" bytes, schema version " + SqliteFiles.latestSchemaVersion() + ", integrity check ok)\n");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + backup); Statement s = c.createStatement()) {
            assertThat(single(s, "PRAGMA integrity_check")).isEqualTo("ok");
            assertThat(single(s, "PRAGMA user_version")).isEqualTo(String.valueOf(SqliteFiles.latestSchemaVersion()));
            Set<String> markers = new HashSet<>();
            try (ResultSet rows = s.executeQuery("SELECT session_id FROM chat_sessions")) {
                while (rows.next()) {
                    markers.add(rows.getString(1));
                }
            }
            Map<String, Integer> messages = new HashMap<>();
            try (ResultSet rows = s.executeQuery("SELECT session_id, count(*) FROM chat_history GROUP BY session_id")) {
                while (rows.next()) {
                    messages.put(rows.getString(1), rows.getInt(2));
                }
            }
            assertThat(markers).as("every commit from before the backup").containsAll(committedBeforeBackup);
            assertThat(messages.keySet()).as("the same transactions in both tables").isEqualTo(markers);
            assertThat(messages.values()).as("no transaction in part").containsOnly(MESSAGES_PER_SESSION);
        }
    }

    @Test
    void anExistingBackupFileIsKeptUnlessForced() throws Exception {
        Path file = home.resolve("orbit.db");
        try (DatabaseService db = DatabaseServiceFactory.open(new Backend.Sqlite(SqliteOptions.defaults(file)),
                OrbitSchema.SCHEMA)) {
            db.insertOne(OrbitSchema.SYSTEM_PROMPTS, Document.of("name", "p", "prompt", "x", "version", "1",
                    "created_at", Instant.EPOCH, "updated_at", Instant.EPOCH));
        }
        Path backup = home.resolve("orbit-backup.db");
        java.nio.file.Files.writeString(backup, "precious");

        AdminTests.Run refused = orbit(home, "db", "backup", "--db", "sqlite:orbit.db", "--to", backup.toString());
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("orbit: " + backup + " already exists: use --force to overwrite it\n");
        assertThat(java.nio.file.Files.readString(backup)).isEqualTo("precious");

        AdminTests.Run forced = orbit(home, "db", "backup", "--db", "sqlite:orbit.db", "--to", backup.toString(),
                "--force");
        assertThat(forced.status()).as(forced.err()).isZero();
        assertThat(SqliteFiles.integrityCheck(backup)).isEmpty();
        assertThat(AdminTests.dump("sqlite:" + backup, home).get(OrbitSchema.SYSTEM_PROMPTS)).hasSize(1);
        assertThat(java.nio.file.Files.list(home).map(p -> p.getFileName().toString()))
                .noneMatch(name -> name.contains(".partial-"));
    }

    @Test
    void backingUpADatabaseThatDoesNotExistCreatesNothing() {
        AdminTests.Run run = orbit(home, "db", "backup", "--db", "sqlite:missing.db", "--to",
                home.resolve("b.db").toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("orbit: no SQLite database at " + home.resolve("missing.db") + "\n");
        assertThat(home.resolve("missing.db")).doesNotExist();
        assertThat(home.resolve("b.db")).doesNotExist();
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static void awaitAtLeast(Set<String> committed, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (committed.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("writers committed only " + committed.size() + " of " + count);
            }
            Thread.sleep(5);
        }
    }
}
