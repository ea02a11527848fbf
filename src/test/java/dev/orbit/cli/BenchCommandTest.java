package dev.orbit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.Gateway;
import java.io.PrintWriter;
import java.io.StringWriter;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's plumbing on a tiny run; its figures are only meaningful from a real run. */
class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void storageBenchmarkPrintsAllFourFiguresAndTheirRatios() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = OrbitCommand.commandLine(Map.of(), Gateway::openDatabase)
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("bench", "storage", "--db", dir.resolve("bench.db").toString(), "--rows", "2000",
                        "--concurrent-rows", "300", "--threads", "8", "--queries", "100");
        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("ORBIT storage benchmark: sqlite ")
                .contains("(a) raw batched inserts: 2,000 rows")
                .contains("(b) insertOne from 8 threads, each acked after commit: 300 rows")
                .contains("(c) findMany latest 50 of a session, 2,300 rows: 100 queries")
                .contains("(d) raw driver, same query")
                .containsPattern("\\(c\\)/\\(d\\) = \\d+%");
    }

    @Test
    void storageBenchmarkRunsOnMongoDbAndPrintsTheSameFigures() {
        MongoServer server = new MongoServer(new MemoryBackend());
        InetSocketAddress address = server.bind();
        try {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int status = OrbitCommand.commandLine(Map.of(), Gateway::openDatabase)
                    .setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                    .execute("bench", "storage", "--mongodb-uri",
                            "mongodb://127.0.0.1:" + address.getPort() + "/bench_test", "--rows", "1000",
                            "--concurrent-rows", "200", "--threads", "8", "--queries", "50");
            assertThat(status).as(err.toString()).isZero();
            assertThat(out.toString())
                    .contains("ORBIT storage benchmark: mongodb 127.0.0.1:" + address.getPort() + "/bench_test")
                    .contains("(a) raw batched inserts: 1,000 rows")
                    .contains("(b) insertOne from 8 threads, each acked after commit: 200 rows")
                    .contains("(c) findMany latest 50 of a session, 1,200 rows: 50 queries")
                    .containsPattern("\\(c\\)/\\(d\\) = \\d+%");
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void turnsBenchmarkStoresEveryTurnAndPrintsItsFigures() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = OrbitCommand.commandLine(Map.of(), Gateway::openDatabase)
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("bench", "turns", "--db", dir.resolve("turns.db").toString(), "--sessions", "20",
                        "--warmup", "30", "--turns", "50", "--threads", "8");
        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("ORBIT chat-turn storage benchmark: sqlite ")
                .contains("warm-up: 30 turns")
                .containsPattern("forTurn \\+ addTurn: 50 turns, [\\d,]+ turns/s, process CPU \\d+ us/turn");
    }

    @Test
    void nonsensicalTurnCountsAreAUsageError() {
        StringWriter err = new StringWriter();
        int status = OrbitCommand.commandLine(Map.of(), Gateway::openDatabase).setErr(new PrintWriter(err))
                .execute("bench", "turns", "--db", dir.resolve("t.db").toString(), "--threads", "0");
        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("--threads must be >= 1");
    }

    @Test
    void nonsensicalCountsAreAUsageError() {
        StringWriter err = new StringWriter();
        int status = OrbitCommand.commandLine(Map.of(), Gateway::openDatabase).setErr(new PrintWriter(err))
                .execute("bench", "storage", "--db", dir.resolve("b.db").toString(), "--rows", "10");
        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("--rows must be >= 50");
    }
}
