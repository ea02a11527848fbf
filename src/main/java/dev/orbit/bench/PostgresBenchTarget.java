package dev.orbit.bench;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.postgres.PostgresDatabaseService;
import dev.orbit.db.postgres.PostgresOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.postgresql.util.PGobject;

/**
 * PostgreSQL: the service against plain pgJDBC on the same database. ORBIT's tables in it are dropped first,
 * so point it at a scratch database.
 */
public final class PostgresBenchTarget implements BenchTarget {
    private static final int BATCH = 1000;
    private static final String INSERT = "INSERT INTO chat_history (id, session_id, role, content, \"timestamp\","
            + " user_id, api_key, api_key_hash, metadata_json, message_hash, token_count)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String LATEST = "SELECT id, session_id, role, content, \"timestamp\", user_id, api_key,"
            + " api_key_hash, metadata_json, message_hash, token_count FROM chat_history WHERE session_id = ?"
            + " ORDER BY \"timestamp\" DESC LIMIT 50";

    private final PostgresOptions options;
    private final PostgresDatabaseService service;
    private final ThreadLocal<Connection> raw = new ThreadLocal<>();
    private final java.util.List<Connection> rawConnections = new java.util.concurrent.CopyOnWriteArrayList<>();

    public PostgresBenchTarget(String url) throws SQLException {
        PostgresOptions parsed = PostgresOptions.fromUrl(url);
        // As many connections as the benchmark has threads, so (b) measures the database, not the pool.
        this.options = parsed.withPoolSize(32);
        try (Connection c = options.connect(); Statement s = c.createStatement()) {
            for (CollectionSpec spec : OrbitSchema.SCHEMA.collections()) {
                s.execute("DROP TABLE IF EXISTS \"" + spec.name() + "\"");
            }
            s.execute("DROP TABLE IF EXISTS orbit_schema_migrations, orbit_ttl_indexes");
        }
        this.service = new PostgresDatabaseService(options, OrbitSchema.SCHEMA);
        service.initialize();
    }

    @Override
    public String describe() {
        return "postgres " + options.location();
    }

    @Override
    public DatabaseService service() {
        return service;
    }

    @Override
    public void rawInsert(long from, long count, int perSession) throws SQLException {
        try (Connection c = options.connect(); PreparedStatement insert = c.prepareStatement(INSERT)) {
            c.setAutoCommit(false);
            for (long n = from; n < from + count; n++) {
                Document row = ChatRows.row(n, perSession);
                insert.setString(1, UUID.randomUUID().toString());
                insert.setString(2, row.getString("session_id"));
                insert.setString(3, row.getString("role"));
                insert.setString(4, row.getString("content"));
                insert.setObject(5, OffsetDateTime.ofInstant(row.getInstant("timestamp"), ZoneOffset.UTC));
                insert.setString(6, row.getString("user_id"));
                insert.setString(7, row.getString("api_key"));
                insert.setString(8, row.getString("api_key_hash"));
                PGobject json = new PGobject();
                json.setType("jsonb");
                json.setValue("{\"adapter_name\": \"simple-chat\", \"model\": \"mock\"}");
                insert.setObject(9, json);
                insert.setString(10, row.getString("message_hash"));
                insert.setLong(11, row.getLong("token_count"));
                insert.addBatch();
                if ((n - from + 1) % BATCH == 0 || n == from + count - 1) {
                    insert.executeBatch();
                    c.commit();
                }
            }
        }
    }

    @Override
    public int rawLatest50(String sessionId) throws SQLException {
        Connection c = raw.get();
        if (c == null) {
            c = options.connect();
            raw.set(c);
            rawConnections.add(c);
        }
        int rows = 0;
        try (PreparedStatement read = c.prepareStatement(LATEST)) {
            read.setString(1, sessionId);
            try (ResultSet result = read.executeQuery()) {
                while (result.next()) {
                    for (int i = 1; i <= 11; i++) {
                        result.getObject(i);
                    }
                    rows++;
                }
            }
        }
        return rows;
    }

    @Override
    public void close() throws SQLException {
        service.close();
        for (Connection c : rawConnections) {
            c.close();
        }
    }
}
