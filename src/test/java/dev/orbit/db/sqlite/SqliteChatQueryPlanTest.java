package dev.orbit.db.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.db.ChatQueries;
import dev.orbit.db.OrbitSchema;
import dev.orbit.service.ApiKeyFingerprint;
import dev.orbit.service.ChatHistoryService;
import dev.orbit.service.ChatHistorySettings;
import dev.orbit.service.NewMessage;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every query of the chat path on chat_history and chat_sessions is served by one of the indexes the schema keeps
 * (EXPLAIN QUERY PLAN of the SQL the backend runs: a search of the index), so that retiring an index a query needs
 * fails here.
 */
class SqliteChatQueryPlanTest {
    @TempDir
    Path dir;

    static Stream<ChatQueries.Query> queries() {
        return ChatQueries.list().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void each_chat_query_uses_one_of_its_indexes(ChatQueries.Query query) throws Exception {
        Path file = dir.resolve("orbit.db");
        try (SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(file), OrbitSchema.SCHEMA)) {
            db.initialize();
            ChatHistoryService history = new ChatHistoryService(db, ChatHistorySettings.defaults(), Clock.systemUTC());
            for (int i = 0; i < 20; i++) {
                history.addTurn("s" + i % 4, ApiKeyFingerprint.of("orbit_CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"),
                        i % 2 == 0 ? null : "u", NewMessage.user("q" + i), NewMessage.assistant("a" + i),
                        i % 5 == 0 ? "key-" + i : null);
            }
        }
        List<String> plan = plan(file, query);

        // A search (a range of the index, by its leading fields), never a scan of a table or a whole index.
        assertThat(plan).as("plan of %s", query).anyMatch(step -> step.startsWith("SEARCH ") && query.indexes()
                .stream().anyMatch(index -> step.contains("INDEX " + index + " ") || step.endsWith("INDEX " + index)));
        assertThat(plan).as("plan of %s", query).noneMatch(step -> step.startsWith("SCAN ")
                || !query.sortsFew() && step.contains("USE TEMP B-TREE FOR ORDER BY"));
    }

    private static List<String> plan(Path file, ChatQueries.Query query) throws Exception {
        SqliteTable table = SqliteTable.of(OrbitSchema.SCHEMA.collection(query.collection()));
        SqlStatement explain = new SqlStatement().sql("EXPLAIN QUERY PLAN ");
        if (query.count()) {
            SqlOperations.countSql(explain, table, query.filter());
        } else {
            SqlOperations.findSql(explain, table, query.filter(), query.options(),
                    query.options().projection().keptFields(table.spec()));
        }
        List<String> steps = new ArrayList<>();
        try (SqlConnection c = new SqlConnection(RawSqlite.open(file));
             ResultSet rows = explain.prepare(c).executeQuery()) {
            while (rows.next()) {
                steps.add(rows.getString("detail"));
            }
        }
        return steps;
    }
}
