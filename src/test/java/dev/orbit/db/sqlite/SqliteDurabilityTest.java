package dev.orbit.db.sqlite;

import static dev.orbit.db.Filters.all;
import static dev.orbit.db.Filters.in;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.db.Document;
import dev.orbit.db.OrbitSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write that returned successfully survives {@code kill -9} of the process (default synchronous NORMAL). */
class SqliteDurabilityTest {
    private static final int ACKS_BEFORE_KILL = 500;
    private static final int THREADS = 4;
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void every_acknowledged_insert_survives_kill_9_and_the_file_stays_intact() throws Exception {
        Path file = dir.resolve("durable.db");
        Set<String> acknowledged = new HashSet<>();

        // Twice: the second child starts on the file the first one left behind when killed.
        for (int round = 0; round < 2; round++) {
            try (ChildJvm child = ChildJvm.start(dir, AckingWriterMain.class, file.toString(), String.valueOf(THREADS))) {
                child.awaitLines(SqliteDurabilityTest::isAck, ACKS_BEFORE_KILL, LIMIT);
                child.kill();
                int exit = child.waitFor(LIMIT);
                assertThat(exit).as("killed, not exited on its own (stderr: " + child.stderrText() + ")").isNotZero();
                Set<String> acks = child.stdout().stream().filter(SqliteDurabilityTest::isAck)
                        .map(line -> line.substring(4)).collect(Collectors.toSet());
                assertThat(acks).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
                acknowledged.addAll(acks);
            }
        }

        assertThat(RawSqlite.integrityCheck(file)).isEqualTo("ok");
        try (SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(file), OrbitSchema.SCHEMA)) {
            db.initialize();
            Set<String> stored = db.findMany(OrbitSchema.CHAT_HISTORY, in("_id", List.copyOf(acknowledged))).stream()
                    .map(Document::id).collect(Collectors.toSet());
            assertThat(acknowledged).as("acknowledged ids missing after kill -9")
                    .allMatch(stored::contains);
            assertThat(db.count(OrbitSchema.CHAT_HISTORY, all())).isGreaterThanOrEqualTo(acknowledged.size());
        }
    }

    private static boolean isAck(String line) {
        // A line cut off by the kill is shorter than "ACK " + a 36-character UUID and does not count.
        return line.startsWith("ACK ") && line.length() == 40;
    }
}
