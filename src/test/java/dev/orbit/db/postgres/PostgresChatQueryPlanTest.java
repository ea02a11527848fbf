package dev.orbit.db.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.db.ChatQueries;
import dev.orbit.db.OrbitSchema;
import dev.orbit.service.ApiKeyFingerprint;
import dev.orbit.service.ChatHistoryService;
import dev.orbit.service.ChatHistorySettings;
import dev.orbit.service.NewMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every query of the chat path on chat_history and chat_sessions can be served by one of the indexes the schema
 * keeps (EXPLAIN of the SQL the backend runs, with sequential scans and sorts priced out, as a test table is too
 * small for the planner to prefer an index on its own), so that retiring an index a query needs fails here.
 */
class PostgresChatQueryPlanTest {
    private static PostgresOptions options;

    @BeforeAll
    static void someTurns() {
        options = PostgresTestServer.newDatabase();
        try (PostgresDatabaseService db = new PostgresDatabaseService(options, OrbitSchema.SCHEMA)) {
            db.initialize();
            ChatHistoryService history = new ChatHistoryService(db, ChatHistorySettings.defaults(), Clock.systemUTC());
            for (int i = 0; i < 20; i++) {
                history.addTurn("s" + i % 4, ApiKeyFingerprint.of("orbit_CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"),
                        i % 2 == 0 ? null : "u", NewMessage.user("q" + i), NewMessage.assistant("a" + i),
                        i % 5 == 0 ? "key-" + i : null);
            }
        }
    }

    @AfterAll
    static void drop() {
        PostgresTestServer.drop(options);
    }

    static Stream<ChatQueries.Query> queries() {
        return ChatQueries.list().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void each_chat_query_uses_one_of_its_indexes(ChatQueries.Query query) throws Exception {
        List<String> plan = plan(query);

        assertThat(plan).as("plan of %s", query).anyMatch(line -> query.indexes().stream()
                .anyMatch(index -> line.matches(".*(using|on) " + index + "\\b.*")));
        assertThat(plan).as("plan of %s", query).noneMatch(line -> line.contains("Seq Scan")
                || !query.sortsFew() && line.matches("\\s*(->\\s+)?Sort\\s+\\(.*"));
    }

    private static List<String> plan(ChatQueries.Query query) throws Exception {
        PgTable table = PgTable.of(OrbitSchema.SCHEMA.collection(query.collection()));
        PgTranslator translator = new PgTranslator(null);
        PgStatement explain = new PgStatement().sql("EXPLAIN ");
        if (query.count()) {
            PgOperations.countSql(explain, translator, table, query.filter());
        } else {
            PgOperations.findSql(explain, translator, table, query.filter(), query.options(),
                    query.options().projection().keptFields(table.spec()));
        }
        List<String> lines = new ArrayList<>();
        try (Connection c = PostgresTestServer.connect(options)) {
            try (Statement s = c.createStatement()) {
                s.execute("SET enable_seqscan = off");
                // A query that finds two rows at most may sort them: pricing sorts out would steer it to an index
                // that is presorted instead of the one that finds them.
                s.execute("SET enable_sort = " + (query.sortsFew() ? "on" : "off"));
            }
            try (PreparedStatement statement = explain.prepare(c); ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    lines.add(rows.getString(1));
                }
            }
        }
        return lines;
    }
}
