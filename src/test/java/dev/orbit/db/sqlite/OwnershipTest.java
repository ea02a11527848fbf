package dev.orbit.db.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.db.OrbitSchema;
import dev.orbit.db.SchemaVersionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only ORBIT's own files (or new, empty ones) are upgraded; another application's database is left alone. */
class OwnershipTest {
    @TempDir
    Path dir;

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static SqliteDatabaseService open(SqliteOptions options) {
        SqliteDatabaseService db = new SqliteDatabaseService(options, OrbitSchema.SCHEMA);
        try {
            db.initialize();
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** Another application's database: its own tables, one named like ORBIT's, and a user_version of its own. */
    private Path foreign() throws Exception {
        Path file = dir.resolve("notes.db");
        RawSqlite.execute(file, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)",
                "CREATE TABLE users (name TEXT)", "INSERT INTO notes (body) VALUES ('keep me')", "PRAGMA user_version = 2");
        return file;
    }

    @Test
    void anotherApplicationsDatabaseIsRefusedByteForByteUnchanged() throws Exception {
        Path file = foreign();
        String before = sha256(file);

        assertThatThrownBy(() -> open(SqliteOptions.defaults(file)).close())
                .isInstanceOf(SchemaVersionException.class)
                .hasMessage(file + " is not an ORBIT database (it holds notes, users, not ORBIT's users, sessions,"
                        + " api_keys, system_prompts, chat_history): refusing to add ORBIT's tables to it; check the"
                        + " path, or pass --allow-foreign-database if it is meant");

        assertThat(sha256(file)).isEqualTo(before);
        assertThat(RawSqlite.scalar(file, "PRAGMA journal_mode")).isEqualTo("delete");
        assertThat(dir.resolve("notes.db-wal")).doesNotExist();
    }

    @Test
    void withTheOptionItGetsOrbitsTablesAndKeepsItsOwnUnlessItCarriesASchemaVersionOfItsOwn() throws Exception {
        Path file = foreign();
        String before = sha256(file);

        assertThatThrownBy(() -> open(SqliteOptions.defaults(file).withForeignAllowed()).close())
                .isInstanceOf(SchemaVersionException.class)
                .hasMessage(file + " is not an ORBIT database and carries a schema version of its own (PRAGMA"
                        + " user_version 2): ORBIT cannot add its tables to it, even with --allow-foreign-database");
        assertThat(sha256(file)).isEqualTo(before);
        RawSqlite.execute(file, "PRAGMA user_version = 0");

        open(SqliteOptions.defaults(file).withForeignAllowed()).close();

        assertThat(RawSqlite.query(file, "SELECT body FROM notes")).isEqualTo(List.of(Map.of("body", "keep me")));
        assertThat(RawSqlite.userVersion(file)).isEqualTo(SqliteFiles.latestSchemaVersion());
    }

    @Test
    void newEmptyOrbitAndReferenceFilesOpenAsBefore() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.db"));
        Path reference = dir.resolve("reference.db");
        ReferenceDatabase.create(reference); // the reference's layout, with a table of its own beside it
        Path fresh = dir.resolve("new.db");

        for (Path file : List.of(empty, reference, fresh, fresh)) {
            open(SqliteOptions.defaults(file)).close();
            assertThat(RawSqlite.userVersion(file)).as(file.toString()).isEqualTo(SqliteFiles.latestSchemaVersion());
        }
    }
}
