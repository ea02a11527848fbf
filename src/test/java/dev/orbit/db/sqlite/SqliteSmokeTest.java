package dev.orbit.db.sqlite;

import static dev.orbit.db.Filters.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.db.*;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteSmokeTest {
    @TempDir Path dir;

    @Test
    void basicRoundTrip() {
        try (var db = new SqliteDatabaseService(SqliteOptions.defaults(dir.resolve("orbit.db")), OrbitSchema.SCHEMA)) {
            db.initialize();
            Instant now = Instant.now();
            String id = db.insertOne("chat_history", Document.of("session_id", "s1", "role", "user", "content", "hi\0there 🎉",
                    "timestamp", now, "metadata", Map.of("a", 1, "b", List.of(1.5, "x", now)), "token_count", 3));
            var found = db.findOne("chat_history", eq("_id", id)).orElseThrow();
            System.out.println(found.asMap());
            assertThat(found.getString("content")).isEqualTo("hi\0there 🎉");
            assertThat(db.count("chat_history", ne("user_id", "x"))).isEqualTo(1);
            assertThat(db.count("chat_history", not(eq("user_id", "x")))).isEqualTo(1);
            var r = db.updateOne("users", eq("username", "bob"), Updates.combine(Updates.set("password", "p"), Updates.set("role", "user"), Updates.set("active", true), Updates.setOnInsert("created_at", now), Updates.push("roles", "user")), UpdateOptions.UPSERT);
            assertThat(r.upsertedId()).isNotNull();
            assertThat(db.count("users", eq("roles", "user"))).isEqualTo(1);
            assertThat(db.count("users", containsIgnoreCase("username", "BO"))).isEqualTo(1);
            db.useTransaction(tx -> tx.deleteMany("users", all()));
            assertThat(db.count("users", all())).isZero();
        }
    }
}
