package dev.orbit.db;

import static dev.orbit.db.Filters.all;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.db.sqlite.SqliteOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseServiceFactoryTest {
    @TempDir
    Path dir;

    private DatabaseServiceFactory.Backend sqlite(Path file) {
        return new DatabaseServiceFactory.Backend.Sqlite(SqliteOptions.defaults(file));
    }

    private static Document prompt(String name) {
        Instant now = Instant.now();
        return Document.of("name", name, "prompt", "p", "version", "1.0", "created_at", now, "updated_at", now);
    }

    @Test
    void openingOneLocationTwiceSharesOneDatabaseUntilTheLastHandleCloses() {
        Path file = dir.resolve("orbit.db");
        DatabaseService first = DatabaseServiceFactory.open(sqlite(file), OrbitSchema.SCHEMA);
        // The same file reached through a relative-looking detour is the same location.
        DatabaseService second = DatabaseServiceFactory.open(sqlite(dir.resolve("sub/../orbit.db")), OrbitSchema.SCHEMA);
        first.insertOne(OrbitSchema.SYSTEM_PROMPTS, prompt("a"));
        assertThat(second.count(OrbitSchema.SYSTEM_PROMPTS, all())).isEqualTo(1);

        first.close();
        assertThatThrownBy(() -> first.count(OrbitSchema.SYSTEM_PROMPTS, all())).isInstanceOf(DatabaseException.class);
        assertThat(second.count(OrbitSchema.SYSTEM_PROMPTS, all())).isEqualTo(1);
        second.close();

        try (DatabaseService reopened = DatabaseServiceFactory.open(sqlite(file), OrbitSchema.SCHEMA)) {
            assertThat(reopened.count(OrbitSchema.SYSTEM_PROMPTS, all())).isEqualTo(1);
        }
    }

    @Test
    void aSymlinkedPathIsTheSameLocation() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        assertThat(sqlite(link.resolve("orbit.db")).location()).isEqualTo(sqlite(real.resolve("orbit.db")).location());
    }

    @Test
    void aLocationOpenWithAnotherSchemaIsRefused() {
        Path file = dir.resolve("orbit.db");
        Schema other = OrbitSchema.SCHEMA.with(CollectionSpec.builder("extra_things").build());
        try (DatabaseService db = DatabaseServiceFactory.open(sqlite(file), OrbitSchema.SCHEMA)) {
            assertThatThrownBy(() -> DatabaseServiceFactory.open(sqlite(file), other))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("another schema");
            assertThat(db.count(OrbitSchema.USERS, all())).isZero();
        }
    }

    @Test
    void mongoLocationsNeverHoldCredentials() {
        var options = new dev.orbit.db.mongo.MongoOptions("mongodb://bob:s3cret@db.example:27017/orbit", null, 0,
                "orbit", null, null, java.util.Map.of(), java.time.Duration.ofSeconds(2));
        assertThat(new DatabaseServiceFactory.Backend.Mongo(options).location())
                .isEqualTo("mongodb:mongodb://db.example:27017/orbit/orbit").doesNotContain("s3cret");
    }
}
