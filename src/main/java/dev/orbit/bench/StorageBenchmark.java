package dev.orbit.bench;

import static dev.orbit.db.Filters.eq;

import dev.orbit.db.Document;
import dev.orbit.db.FindOptions;
import dev.orbit.db.IdUtils;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.Sort;
import dev.orbit.db.sqlite.SqliteDatabaseService;
import dev.orbit.db.sqlite.SqliteOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.sqlite.SQLiteConfig;

/**
 * {@code orbit bench storage}: ORBIT's SQLite storage path against raw sqlite-jdbc on one database file,
 * in one run, so the ratios are comparable on a noisy machine. Prints (a) raw batched inserts,
 * (b) {@code insertOne} from many threads each acknowledged after its commit, (c) {@code findMany} of a
 * session's latest 50 messages in a large table, (d) the same read in raw JDBC.
 */
public final class StorageBenchmark {
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);
    private static final String COLUMNS = "id, session_id, role, content, timestamp, user_id, api_key, api_key_hash,"
            + " metadata_json, message_hash, token_count";
    private static final int RAW_BATCH = 1000;

    /** What to run: table size, concurrent writes and thread count, read queries. */
    public record Settings(Path file, long rows, int perSession, int concurrentRows, int threads, int queries,
                           SqliteOptions.Synchronous synchronous) {
    }

    private final Settings settings;
    private final PrintWriter out;

    public StorageBenchmark(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    public void run() throws SQLException, IOException, InterruptedException {
        deleteDatabase(settings.file());
        SqliteOptions options = SqliteOptions.defaults(settings.file()).withSynchronous(settings.synchronous());
        out.printf("ORBIT storage benchmark: sqlite %s, synchronous=%s, %d cores, Java %s%n", settings.file(),
                settings.synchronous().name().toLowerCase(), Runtime.getRuntime().availableProcessors(),
                Runtime.version());
        try (SqliteDatabaseService db = new SqliteDatabaseService(options, OrbitSchema.SCHEMA);
             Connection raw = rawConnection(options)) {
            db.initialize();
            double[] rawRates = rawInserts(raw);
            out.flush();
            out.printf("(a) raw sqlite-jdbc batched inserts: %,d rows, %,.0f rows/s (last 10%%: %,.0f rows/s)%n",
                    settings.rows(), rawRates[0], rawRates[1]);

            out.flush();
            double serviceRate = concurrentInsertOne(db);
            // (b) runs on the table as (a) left it, so (a)'s last tenth is the like-for-like figure; the
            // ratio to (a)'s average, over a smaller table, is printed too.
            out.printf("(b) insertOne from %d threads, each acked after commit: %,d rows, %,.0f rows/s"
                            + " = %.0f%% of (a) last 10%%, %.0f%% of (a) average [target >= 50%%]%n",
                    settings.threads(), settings.concurrentRows(), serviceRate, 100 * serviceRate / rawRates[1],
                    100 * serviceRate / rawRates[0]);

            long total = db.count(OrbitSchema.CHAT_HISTORY, dev.orbit.db.Filters.all());
            if (total != settings.rows() + settings.concurrentRows()) {
                throw new IllegalStateException("expected " + (settings.rows() + settings.concurrentRows())
                        + " rows, found " + total);
            }
            out.flush();
            reads(db, raw, total);
        }
    }

    private double[] rawInserts(Connection raw) throws SQLException {
        long lastTenth = Math.max(RAW_BATCH, settings.rows() / 10);
        long start = System.nanoTime();
        long lastStart = start;
        try (PreparedStatement insert = raw.prepareStatement("INSERT INTO chat_history (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (long n = 0; n < settings.rows(); n++) {
                if (n == settings.rows() - lastTenth) {
                    lastStart = System.nanoTime();
                }
                if (n % RAW_BATCH == 0) {
                    execute(raw, "BEGIN IMMEDIATE");
                }
                bindRaw(insert, ChatRows.row(n, settings.perSession()));
                insert.addBatch();
                if (n % RAW_BATCH == RAW_BATCH - 1 || n == settings.rows() - 1) {
                    insert.executeBatch();
                    execute(raw, "COMMIT");
                }
            }
        }
        long end = System.nanoTime();
        return new double[] {settings.rows() / ((end - start) / 1e9), lastTenth / ((end - lastStart) / 1e9)};
    }

    private static void bindRaw(PreparedStatement insert, Document row) throws SQLException {
        insert.setString(1, IdUtils.newUuid());
        insert.setString(2, row.getString("session_id"));
        insert.setString(3, row.getString("role"));
        insert.setString(4, row.getString("content"));
        insert.setString(5, TIMESTAMP.format(row.getInstant("timestamp")));
        insert.setString(6, row.getString("user_id"));
        insert.setString(7, row.getString("api_key"));
        insert.setString(8, row.getString("api_key_hash"));
        insert.setString(9, "{\"adapter_name\":\"simple-chat\",\"model\":\"mock\"}");
        insert.setString(10, row.getString("message_hash"));
        insert.setLong(11, row.getLong("token_count"));
    }

    private double concurrentInsertOne(SqliteDatabaseService db) throws InterruptedException {
        AtomicLong next = new AtomicLong(settings.rows());
        long end = settings.rows() + settings.concurrentRows();
        CountDownLatch ready = new CountDownLatch(settings.threads());
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < settings.threads(); t++) {
            threads.add((Boolean.getBoolean("bench.platform") ? Thread.ofPlatform() : Thread.ofVirtual()).start(() -> {
                ready.countDown();
                try {
                    go.await();
                    for (long n = next.getAndIncrement(); n < end; n = next.getAndIncrement()) {
                        db.insertOne(OrbitSchema.CHAT_HISTORY, ChatRows.row(n, settings.perSession()));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        ready.await();
        long start = System.nanoTime();
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        long elapsed = System.nanoTime() - start;
        if (!failures.isEmpty()) {
            throw new IllegalStateException("concurrent insertOne failed", failures.getFirst());
        }
        return settings.concurrentRows() / (elapsed / 1e9);
    }

    private void reads(SqliteDatabaseService db, Connection raw, long total) throws SQLException {
        long sessions = settings.rows() / settings.perSession();
        FindOptions latest50 = FindOptions.sortedBy(Sort.descending("timestamp")).limit(50);
        Latencies service = new Latencies(settings.queries());
        Latencies jdbc = new Latencies(settings.queries());
        SplittableRandom random = new SplittableRandom(42);
        try (PreparedStatement query = raw.prepareStatement("SELECT " + COLUMNS
                + " FROM chat_history WHERE session_id = ? ORDER BY timestamp DESC LIMIT 50")) {
            int warmup = Math.min(5_000, settings.queries());
            for (int i = 0; i < warmup; i++) {
                String session = ChatRows.sessionId(random.nextLong(sessions));
                check(db.findMany(OrbitSchema.CHAT_HISTORY, eq("session_id", session), latest50).size());
                check(rawRead(query, session));
            }
            // Interleaved, so both see the same machine noise.
            for (int i = 0; i < settings.queries(); i++) {
                String session = ChatRows.sessionId(random.nextLong(sessions));
                long t0 = System.nanoTime();
                int found = db.findMany(OrbitSchema.CHAT_HISTORY, eq("session_id", session), latest50).size();
                long t1 = System.nanoTime();
                int rawFound = rawRead(query, session);
                long t2 = System.nanoTime();
                check(found);
                check(rawFound);
                service.record(t1 - t0);
                jdbc.record(t2 - t1);
            }
        }
        out.printf("(c) findMany latest 50 of a session, %,d rows: %,d queries, %,.0f q/s, p50 %.0f us, p99 %.0f us%n",
                total, settings.queries(), service.perSecond(), service.percentileMicros(50),
                service.percentileMicros(99));
        out.printf("(d) raw JDBC, same query:                        %,d queries, %,.0f q/s, p50 %.0f us, p99 %.0f us%n",
                settings.queries(), jdbc.perSecond(), jdbc.percentileMicros(50), jdbc.percentileMicros(99));
        out.printf("(c)/(d) = %.0f%% [target >= 70%%]; p99 of (c) = %.2f ms [target < 5 ms]%n",
                100 * service.perSecond() / jdbc.perSecond(), service.percentileMicros(99) / 1000);
        out.flush();
    }

    private void check(int found) {
        if (found != Math.min(50, settings.perSession())) {
            throw new IllegalStateException("a session read returned " + found + " rows");
        }
    }

    /** Reads every column of every row, as a minimal client would, without building documents. */
    private static int rawRead(PreparedStatement query, String session) throws SQLException {
        query.setString(1, session);
        int rows = 0;
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                for (int column = 1; column <= 10; column++) {
                    rs.getString(column);
                }
                rs.getLong(11);
                rows++;
            }
        }
        return rows;
    }

    private static Connection rawConnection(SqliteOptions options) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(
                options.synchronous() == SqliteOptions.Synchronous.EXTRA ? "FULL" : options.synchronous().name()));
        config.setBusyTimeout((int) options.busyTimeout().toMillis());
        config.setCacheSize(-16_384);
        return config.createConnection("jdbc:sqlite:" + options.databasePath());
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void deleteDatabase(Path file) throws IOException {
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Files.deleteIfExists(Path.of(file + suffix));
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }
}
