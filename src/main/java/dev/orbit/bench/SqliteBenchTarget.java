package dev.orbit.bench;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.IdUtils;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.sqlite.SqliteDatabaseService;
import dev.orbit.db.sqlite.SqliteOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.sqlite.SQLiteConfig;

/** SQLite: the service against raw sqlite-jdbc on the same file (deleted first), with the same pragmas. */
public final class SqliteBenchTarget implements BenchTarget {
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);
    private static final String COLUMNS = "id, session_id, role, content, timestamp, user_id, api_key, api_key_hash,"
            + " metadata_json, message_hash, token_count";
    private static final int BATCH = 1000;

    private final SqliteOptions options;
    private final SqliteDatabaseService service;
    private final Connection raw;
    private final PreparedStatement insert;
    private final PreparedStatement latest50;

    public SqliteBenchTarget(SqliteOptions options) throws IOException, SQLException {
        deleteDatabase(options.databasePath());
        this.options = options;
        this.service = new SqliteDatabaseService(options, OrbitSchema.SCHEMA);
        service.initialize();
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(
                options.synchronous() == SqliteOptions.Synchronous.EXTRA ? "FULL" : options.synchronous().name()));
        config.setBusyTimeout((int) options.busyTimeout().toMillis());
        config.setCacheSize(-16_384);
        this.raw = config.createConnection("jdbc:sqlite:" + options.databasePath());
        this.insert = raw.prepareStatement("INSERT INTO chat_history (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        this.latest50 = raw.prepareStatement("SELECT " + COLUMNS
                + " FROM chat_history WHERE session_id = ? ORDER BY timestamp DESC LIMIT 50");
    }

    @Override
    public String describe() {
        return "sqlite " + options.databasePath() + ", synchronous=" + options.synchronous().name().toLowerCase();
    }

    @Override
    public DatabaseService service() {
        return service;
    }

    @Override
    public void rawInsert(long from, long count, int perSession) throws SQLException {
        for (long n = from; n < from + count; n++) {
            if ((n - from) % BATCH == 0) {
                execute("BEGIN IMMEDIATE");
            }
            bind(ChatRows.row(n, perSession));
            insert.addBatch();
            if ((n - from) % BATCH == BATCH - 1 || n == from + count - 1) {
                insert.executeBatch();
                execute("COMMIT");
            }
        }
    }

    @Override
    public int rawLatest50(String sessionId) throws SQLException {
        latest50.setString(1, sessionId);
        int rows = 0;
        try (ResultSet rs = latest50.executeQuery()) {
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

    private void bind(Document row) throws SQLException {
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

    private void execute(String sql) throws SQLException {
        try (Statement statement = raw.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        try (raw; service) {
            insert.close();
            latest50.close();
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
