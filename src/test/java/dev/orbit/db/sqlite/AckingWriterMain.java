package dev.orbit.db.sqlite;

import dev.orbit.db.Document;
import dev.orbit.db.OrbitSchema;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Child process of {@link SqliteDurabilityTest}: inserts chat messages one by one from {@code threads}
 * threads, forever, and prints {@code ACK <id>} (flushed) after each {@code insertOne} has returned.
 */
public final class AckingWriterMain {
    private AckingWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        PrintStream out = System.out;
        SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(file), OrbitSchema.SCHEMA);
        db.initialize();
        for (int t = 0; t < threads; t++) {
            String session = "writer-" + ProcessHandle.current().pid() + "-" + t;
            Thread.ofPlatform().start(() -> {
                for (long i = 0; ; i++) {
                    String id;
                    try {
                        id = db.insertOne(OrbitSchema.CHAT_HISTORY, Document.of("session_id", session, "role", "user",
                                "content", "message " + i + " ".repeat(200), "timestamp", Instant.now()));
                    } catch (RuntimeException e) {
                        e.printStackTrace();
                        System.exit(1);
                        return;
                    }
                    synchronized (out) {
                        out.println("ACK " + id);
                        out.flush();
                    }
                }
            });
        }
    }
}
