package dev.orbit.db.sqlite;

import static dev.orbit.db.Filters.all;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.db.DatabaseConnectionException;
import dev.orbit.db.Document;
import dev.orbit.db.OrbitSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Database locations that are awkward or wrong. */
class SqlitePathTest {
    @TempDir
    Path dir;

    @Test
    void a_path_with_spaces_and_unicode_holds_the_database_at_exactly_that_path() throws Exception {
        Path file = dir.resolve("my data").resolve("Zürich 数据 🎉").resolve("orbit db.sqlite");

        writeAndReadBack(file);

        assertThat(file).isRegularFile();
        assertThat(RawSqlite.integrityCheck(file)).isEqualTo("ok");
        assertThat(RawSqlite.scalar(file, "SELECT content FROM chat_history")).isEqualTo("stored at " + file);
        assertThat(listing(dir)).containsExactly("my data");
        assertThat(listing(file.getParent())).containsExactly("orbit db.sqlite");
    }

    @Test
    void a_path_with_url_special_characters_holds_the_database_at_exactly_that_path() throws Exception {
        Path file = dir.resolve("odd?mode=ro&cache=shared#x%20y.db");

        writeAndReadBack(file);

        assertThat(listing(dir)).as("files in the directory").containsExactly("odd?mode=ro&cache=shared#x%20y.db");
        assertThat(file).isRegularFile();
    }

    @Test
    void missing_parent_directories_are_created() {
        Path file = dir.resolve("a").resolve("b").resolve("c").resolve("orbit.db");

        writeAndReadBack(file);

        assertThat(file).isRegularFile();
    }

    @Test
    void a_path_that_is_a_directory_fails_with_a_connection_exception_naming_the_path() throws Exception {
        Path directory = Files.createDirectories(dir.resolve("i am a directory"));

        SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(directory), OrbitSchema.SCHEMA);
        try {
            assertThatThrownBy(db::initialize)
                    .isInstanceOf(DatabaseConnectionException.class)
                    .hasMessageContaining(directory.toString());
        } finally {
            db.close();
        }
        assertThat(listing(directory)).isEmpty();
    }

    @Test
    void a_file_that_is_not_a_database_fails_with_a_connection_exception_naming_the_path_and_is_left_alone()
            throws Exception {
        Path file = dir.resolve("notes.txt");
        String text = "these are my notes, not a database\n".repeat(200);
        Files.writeString(file, text);

        SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(file), OrbitSchema.SCHEMA);
        try {
            assertThatThrownBy(db::initialize)
                    .isInstanceOf(DatabaseConnectionException.class)
                    .hasMessageContaining(file.toString());
        } finally {
            db.close();
        }
        assertThat(Files.readString(file)).isEqualTo(text);
    }

    private static void writeAndReadBack(Path file) {
        try (SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(file), OrbitSchema.SCHEMA)) {
            db.initialize();
            db.insertOne(OrbitSchema.CHAT_HISTORY, Document.of("session_id", "s", "role", "user",
                    "content", "stored at " + file, "timestamp", Instant.now()));
        }
        try (SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(file), OrbitSchema.SCHEMA)) {
            db.initialize();
            assertThat(db.findMany(OrbitSchema.CHAT_HISTORY, all())).singleElement()
                    .satisfies(doc -> assertThat(doc.getString("content")).isEqualTo("stored at " + file));
        }
    }

    private static java.util.List<String> listing(Path directory) throws Exception {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
