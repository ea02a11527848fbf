package dev.orbit.db.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.db.DatabaseConnectionException;
import dev.orbit.db.DatabaseException;
import dev.orbit.db.OrbitSchema;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteFilesTest {
    @TempDir
    Path dir;

    private Path orbitDatabase() {
        Path file = dir.resolve("orbit.db");
        try (SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(file), OrbitSchema.SCHEMA)) {
            db.initialize();
        }
        return file;
    }

    @Test
    void theSchemaVersionIsReadWithoutUpgradingTheFile() throws Exception {
        Path reference = dir.resolve("reference.db");
        RawSqlite.execute(reference, "CREATE TABLE users (id TEXT PRIMARY KEY, username TEXT)");

        assertThat(SqliteFiles.schemaVersion(reference)).isZero();
        assertThat(SqliteFiles.schemaVersion(reference)).isZero();
        assertThat(SqliteFiles.schemaVersion(orbitDatabase())).isEqualTo(SqliteFiles.latestSchemaVersion());
    }

    @Test
    void aNewDatabaseItsWalAndItsBackupsAreTheOwnersAlone() throws Exception {
        Path file = dir.resolve("new.db");
        try (SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(file), OrbitSchema.SCHEMA)) {
            db.initialize();
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(Path.of(file + "-wal")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        Path backup = dir.resolve("copy.db");
        SqliteFiles.backup(file, backup, false);
        assertThat(Files.getPosixFilePermissions(backup)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void anExistingDatabaseKeepsTheModeItsOwnerChose() throws Exception {
        Path file = dir.resolve("shared.db");
        try (SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(file), OrbitSchema.SCHEMA)) {
            db.initialize(); // an ORBIT database (another application's would be refused)
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        try (SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(file), OrbitSchema.SCHEMA)) {
            db.initialize();
        }
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-rw-r--"));
    }

    @Test
    void aMissingFileIsRefusedAndNotCreated() {
        Path missing = dir.resolve("missing.db");

        assertThatThrownBy(() -> SqliteFiles.schemaVersion(missing)).isInstanceOf(DatabaseConnectionException.class)
                .hasMessage("no SQLite database at " + missing);
        assertThatThrownBy(() -> SqliteFiles.backup(missing, dir.resolve("b.db"), false))
                .isInstanceOf(DatabaseConnectionException.class);
        assertThat(missing).doesNotExist();
        assertThat(dir.resolve("b.db")).doesNotExist();
    }

    @Test
    void aBackupKeepsTheSchemaVersionAndRefusesToOverwriteUnlessAskedTo() throws Exception {
        Path source = orbitDatabase();
        Path target = dir.resolve("backup.db");
        Files.writeString(target, "keep me");

        assertThatThrownBy(() -> SqliteFiles.backup(source, target, false)).isInstanceOf(DatabaseException.class)
                .hasMessageContaining("already exists");
        assertThat(Files.readString(target)).isEqualTo("keep me");

        SqliteFiles.backup(source, target, true);
        assertThat(SqliteFiles.schemaVersion(target)).isEqualTo(SqliteFiles.latestSchemaVersion());
        assertThat(SqliteFiles.integrityCheck(target)).isEmpty();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".partial-"));
        }
    }

    @Test
    void theIntegrityCheckReportsADamagedFile() throws Exception {
        Path file = dir.resolve("damaged.db");
        RawSqlite.execute(file, "CREATE TABLE t (id TEXT PRIMARY KEY, v TEXT)",
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
                        + " INSERT INTO t SELECT 'id-' || i, hex(randomblob(50)) FROM n");
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(4096 * 3 + 100); // inside a b-tree page, past the header
            raw.write(new byte[2000]);
        }

        assertThat(SqliteFiles.integrityCheck(file)).isNotEmpty();
    }
}
