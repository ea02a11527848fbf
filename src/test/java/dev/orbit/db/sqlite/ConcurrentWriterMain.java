package dev.orbit.db.sqlite;

import dev.orbit.db.Document;
import dev.orbit.db.OrbitSchema;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Child process of {@link SqliteMultiProcessTest}: opens the database, prints {@code READY}, waits for
 * {@code GO} on stdin, then inserts {@code rows} chat messages of session {@code tag} from {@code threads}
 * threads and prints {@code DONE}. Any failure goes to stderr and exits 1.
 */
public final class ConcurrentWriterMain {
    private ConcurrentWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String tag = args[1];
        int rows = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(file), OrbitSchema.SCHEMA)) {
            db.initialize();
            System.out.println("READY");
            System.out.flush();
            BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            if (!"GO".equals(stdin.readLine())) {
                throw new IllegalStateException("expected GO on stdin");
            }
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                workers.add(Thread.ofPlatform().start(() -> {
                    for (int i = first; i < rows; i += threads) {
                        try {
                            db.insertOne(OrbitSchema.CHAT_HISTORY, Document.of("session_id", tag, "role", "user",
                                    "content", tag + "-" + i, "timestamp", Instant.now(), "token_count", i));
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                            return;
                        }
                    }
                }));
            }
            for (Thread worker : workers) {
                worker.join();
            }
        }
        if (failure.get() != null) {
            failure.get().printStackTrace();
            System.exit(1);
        }
        System.out.println("DONE");
        System.out.flush();
    }
}
