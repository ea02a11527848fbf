package dev.orbit.admin;

import static dev.orbit.admin.AdminTests.orbit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.sqlite.SqliteFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code orbit db backup} of a SQLite file whose copy fails {@code PRAGMA integrity_check}. */
class BackupIntegrityTest {
    @TempDir
    Path home;

    @Test
    void aBackupWhoseCopyFailsTheIntegrityCheckIsRefusedWithTheProblemAndLeavesNoFileBehind() throws Exception {
        Path file = home.resolve("orbit.db");
        try (DatabaseService db = AdminTests.open("sqlite:" + file, home)) {
            for (String name : new String[] {"alice", "bob", "carol"}) {
                db.insertOne(OrbitSchema.USERS, Document.of("username", name, "password", "hash-of-" + name,
                        "role", "user", "active", true, "created_at", Instant.now()));
            }
        }
        corruptUsernameIndex(file);
        assertThat(SqliteFiles.integrityCheck(file)).as("the source itself is damaged").isNotEmpty();
        Path target = home.resolve("backups/orbit-backup.db");

        AdminTests.Run run = orbit(home, "db", "backup", "--db", "sqlite:" + file, "--to", target.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).startsWith("orbit: ").contains("failed its integrity check")
                .contains("idx_users_username");
        assertThat(target).doesNotExist();
        try (Stream<Path> left = Files.list(target.getParent())) {
            assertThat(left).as("no partial copy left next to the target").isEmpty();
        }
    }

    /**
     * Damage that {@code VACUUM INTO} copies faithfully: the index's recorded definition says it covers
     * {@code password}, while its entries are still those of {@code username}. The copy keeps both, so only
     * the integrity check of the copy can notice.
     */
    private static void corruptUsernameIndex(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA writable_schema = ON");
            int changed = s.executeUpdate("UPDATE sqlite_master SET sql = substr(sql, 1, instr(sql, ' ON '))"
                    + " || replace(substr(sql, instr(sql, ' ON ') + 1), 'username', 'password')"
                    + " WHERE type = 'index' AND name = 'idx_users_username'");
            assertThat(changed).isEqualTo(1);
        }
    }
}
