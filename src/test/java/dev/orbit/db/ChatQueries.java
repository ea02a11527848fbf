package dev.orbit.db;

import static dev.orbit.db.Filters.and;
import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.Filters.exists;
import static dev.orbit.db.Filters.gte;
import static dev.orbit.db.Filters.in;
import static dev.orbit.db.Filters.lt;
import static dev.orbit.db.Filters.ne;

import dev.orbit.service.ChatHistoryService;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The queries on chat_history and chat_sessions that the chat path and its neighbours run (ChatHistoryService,
 * SessionOwners, SessionDirectory), written as they do with the same filters and sorts, each with the indexes
 * that may serve it: the query-plan tests of the SQL backends check that one of them does, so that dropping an
 * index a query needs fails a test.
 */
public final class ChatQueries {
    /**
     * A query, validated as the services' are; {@code count} for a {@code count}, else a {@code findMany};
     * {@code sortsFew}: it finds a handful of rows (two at most) and may sort them itself.
     */
    public record Query(String name, String collection, Filter filter, FindOptions options, boolean count,
                        boolean sortsFew, Set<String> indexes) {
        public Query {
            CollectionSpec spec = OrbitSchema.SCHEMA.collection(collection);
            filter = Validator.filter(spec, filter);
            options = new FindOptions(Validator.sort(spec, options.sort()), options.skip(), options.limit(),
                    Validator.projection(spec, options.projection()));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final String HISTORY = OrbitSchema.CHAT_HISTORY;
    private static final String SESSIONS = OrbitSchema.CHAT_SESSIONS;
    private static final Sort NEWEST_FIRST = Sort.descending("sequence", "timestamp", "_id");
    private static final Sort OLDEST_FIRST = Sort.ascending("sequence", "timestamp", "_id");
    private static final Sort SESSIONS_NEWEST_FIRST = Sort.descending("last_activity", "created_at")
            .then(Sort.ascending("session_id"));
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
    /** The SQL backends' index of a session's places, which is also its order. */
    private static final String ORDER = "idx_chat_history_session_sequence";

    private ChatQueries() {
    }

    public static List<Query> list() {
        return List.of(
                find("context page (every chat turn)", HISTORY, eq("session_id", "s"),
                        FindOptions.sortedBy(NEWEST_FIRST).limit(100).projection(Projection.include("role", "content",
                                "token_count", "sequence", "timestamp")), ORDER),
                find("newest message's id (a turn checking its context window)", HISTORY, eq("session_id", "s"),
                        FindOptions.sortedBy(NEWEST_FIRST).limit(1).projection(Projection.include(FieldSpec.ID)), ORDER),
                count("messages from a place on (a turn checking its context window)", HISTORY,
                        and(eq("session_id", "s"), gte("sequence", 7L)), ORDER),
                find("session end (a turn that lost its place)", HISTORY, eq("session_id", "s"),
                        FindOptions.sortedBy(NEWEST_FIRST).limit(1).projection(
                                Projection.include("sequence", "timestamp")), ORDER),
                find("latest messages (history route)", HISTORY, eq("session_id", "s"),
                        FindOptions.sortedBy(NEWEST_FIRST).limit(50), ORDER),
                find("beyond the session cap", HISTORY, eq("session_id", "s"),
                        FindOptions.sortedBy(NEWEST_FIRST).skip(1000).projection(Projection.include(FieldSpec.ID)),
                        ORDER),
                new Query("stored turn of an idempotency key", HISTORY,
                        ChatHistoryService.storedUnder("s", List.of("a", "b")),
                        FindOptions.sortedBy(OLDEST_FIRST), false, true,
                        Set.of("idx_chat_history_session_idempotency")),
                find("question of an answer", HISTORY,
                        and(eq("session_id", "s"), eq("role", "user"), lt("sequence", 7L)),
                        FindOptions.sortedBy(NEWEST_FIRST).limit(1), ORDER),
                find("rows of another key (no owner record)", HISTORY,
                        and(eq("session_id", "s"), exists("api_key_hash"), ne("api_key_hash", "k")),
                        FindOptions.ALL.limit(1), ORDER),
                count("messages in a session (listings)", HISTORY, eq("session_id", "s"), ORDER),
                find("expired messages (retention)", HISTORY, lt("timestamp", AT),
                        FindOptions.sortedBy(Sort.ascending("timestamp", "_id")).limit(100),
                        "idx_chat_history_timestamp"),
                find("owner record (every chat turn)", SESSIONS, eq("session_id", "s"), FindOptions.ALL,
                        "idx_chat_sessions_session_id"),
                find("owner's touch", SESSIONS, and(eq("session_id", "s"), eq("api_key_hash", "k"),
                        eq("user_id", null)), FindOptions.ALL, "idx_chat_sessions_session_id"),
                find("a user's sessions", SESSIONS, eq("user_id", "u"),
                        FindOptions.sortedBy(SESSIONS_NEWEST_FIRST).limit(20),
                        "idx_chat_sessions_named_user_activity"),
                // (The admin listing without a filter reads every owner record, one per session, and sorts.)
                find("sessions active since (admin listing)", SESSIONS, Filters.gte("last_activity", AT),
                        FindOptions.sortedBy(SESSIONS_NEWEST_FIRST).limit(50), "idx_chat_sessions_last_activity"));
    }

    private static Query find(String name, String collection, Filter filter, FindOptions options, String... indexes) {
        return new Query(name, collection, filter, options, false, false, Set.of(indexes));
    }

    private static Query count(String name, String collection, Filter filter, String... indexes) {
        return new Query(name, collection, filter, FindOptions.ALL, true, false, Set.of(indexes));
    }
}
