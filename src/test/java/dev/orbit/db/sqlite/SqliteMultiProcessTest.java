package dev.orbit.db.sqlite;

import static dev.orbit.db.Filters.all;
import static dev.orbit.db.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.db.Document;
import dev.orbit.db.OrbitSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several ORBIT processes on one database file, as when the CLI runs next to the server. */
class SqliteMultiProcessTest {
    private static final int PROCESSES = 3;
    private static final int ROWS_PER_PROCESS = 2_000;
    private static final int THREADS_PER_PROCESS = 8;
    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    private static final Duration RUN_LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void processes_starting_and_writing_one_new_file_at_once_lose_nothing_and_never_see_database_is_locked()
            throws Exception {
        Path file = dir.resolve("shared.db");
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int p = 0; p < PROCESSES; p++) {
                children.add(ChildJvm.start(dir, ConcurrentWriterMain.class, file.toString(), "process-" + p,
                        String.valueOf(ROWS_PER_PROCESS), String.valueOf(THREADS_PER_PROCESS)));
            }
            // All migrate the new file at about the same time; then all write at once.
            for (ChildJvm child : children) {
                child.awaitLine("READY"::equals, START_LIMIT);
            }
            children.forEach(child -> child.send("GO"));
            for (ChildJvm child : children) {
                int exit = child.waitFor(RUN_LIMIT);
                String stderr = child.stderrText();
                assertThat(stderr).as("stderr of child " + child.pid())
                        .doesNotContainIgnoringCase("database is locked")
                        .doesNotContain("SQLITE_BUSY")
                        .doesNotContain("WAL checkpoint failed")
                        .doesNotContain("Exception");
                assertThat(exit).as("exit code of child " + child.pid() + " (stderr: " + stderr + ")").isZero();
                assertThat(child.stdout()).contains("DONE");
            }
        } finally {
            for (ChildJvm child : children) {
                child.close();
            }
        }

        assertThat(RawSqlite.integrityCheck(file)).isEqualTo("ok");
        assertThat(RawSqlite.userVersion(file)).isEqualTo(Migrations.LATEST);
        try (SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(file), OrbitSchema.SCHEMA)) {
            db.initialize();
            assertThat(db.count(OrbitSchema.CHAT_HISTORY, all())).isEqualTo((long) PROCESSES * ROWS_PER_PROCESS);
            for (int p = 0; p < PROCESSES; p++) {
                String tag = "process-" + p;
                Set<String> contents = db.findMany(OrbitSchema.CHAT_HISTORY, eq("session_id", tag)).stream()
                        .map(d -> d.getString("content")).collect(Collectors.toSet());
                Set<String> expected = IntStream.range(0, ROWS_PER_PROCESS).mapToObj(i -> tag + "-" + i)
                        .collect(Collectors.toSet());
                assertThat(contents).as("rows of " + tag).isEqualTo(expected);
            }
            assertThat(db.findMany(OrbitSchema.CHAT_HISTORY, all()).stream().map(Document::id).distinct().count())
                    .as("distinct ids").isEqualTo((long) PROCESSES * ROWS_PER_PROCESS);
        }
    }
}
