package dev.orbit.service;

import static dev.orbit.db.Filters.all;
import static dev.orbit.db.Filters.and;
import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.Filters.in;
import static dev.orbit.db.OrbitSchema.CHAT_HISTORY;
import static dev.orbit.db.OrbitSchema.CHAT_SESSIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.config.MonitoringConfig;
import dev.orbit.db.DatabaseException;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.DuplicateKeyException;
import dev.orbit.db.InvalidQueryException;
import dev.orbit.observability.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ChatHistoryService} on one backend (a subclass per backend). */
abstract class ChatHistoryServiceTest extends ServiceTestBase {
    static final ApiKeyFingerprint KEY_A = ApiKeyFingerprint.of("orbit_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    static final ApiKeyFingerprint KEY_B = ApiKeyFingerprint.of("orbit_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB");

    ChatHistoryService history;

    @BeforeEach
    void createService() {
        history = chatHistoryService(db(), ChatHistorySettings.defaults());
    }

    private ChatTurn turn(ChatHistoryService service, String session, ApiKeyFingerprint key, String text) {
        return service.addTurn(session, key, "user-1", NewMessage.user(text), NewMessage.assistant("re: " + text), null);
    }

    private static List<String> contents(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::content).toList();
    }

    private static List<String> texts(List<ContextMessage> context) {
        return context.stream().map(ContextMessage::content).toList();
    }

    private long rows(String session) {
        return db().count(CHAT_HISTORY, eq("session_id", session));
    }

    // --- storing ---------------------------------------------------------------------------------------------

    @Test
    void a_turn_stores_both_messages_with_the_key_fingerprint_masked_key_metadata_and_token_counts() {
        Map<String, Object> metadata = Map.of("adapter_name", "chat", "model", "m-1", "timing", Map.of("ms", 12));
        ChatTurn t = history.addTurn("s-1", KEY_A, "user-7", NewMessage.user("Hello there"),
                new NewMessage("assistant", "Hi!", metadata, 3L), null);
        assertThat(t.replayed()).isFalse();
        assertThat(t.assistant().timestamp()).isEqualTo(t.user().timestamp());

        List<Document> stored = db().findMany(CHAT_HISTORY, eq("session_id", "s-1"));
        assertThat(stored).hasSize(2).allSatisfy(d -> {
            assertThat(d.getString("api_key_hash")).isEqualTo(KEY_A.sha256());
            assertThat(d.getString("api_key")).isEqualTo("...AAAAAA");
            assertThat(d.getString("user_id")).isEqualTo("user-7");
            assertThat(d.getString("message_hash")).as("no idempotency key: the place")
                    .isEqualTo(d.getString("sequence_key")).matches("[0-9a-f]{64}");
        });
        assertThat(stored).extracting(d -> d.getLong("sequence")).containsExactlyInAnyOrder(1L, 2L);
        ChatMessage assistant = history.latest("s-1", 10).getLast();
        assertThat(assistant.messageId()).isEqualTo(t.assistant().messageId());
        assertThat(assistant.metadata()).isEqualTo(Map.of("adapter_name", "chat", "model", "m-1", "timing", Map.of("ms", 12L)));
        assertThat(assistant.tokenCount()).isEqualTo(3);
        assertThat(history.latest("s-1", 10).getFirst().tokenCount()).isEqualTo(3); // "Hello there": 11 chars / 4
    }

    @Test
    void messages_come_back_in_insertion_order_even_when_the_clock_stands_still() {
        for (int i = 0; i < 30; i++) {
            history.addMessage("s-1", KEY_A, null, new NewMessage(i % 2 == 0 ? "user" : "assistant", "m" + i, null, null), null);
        }
        List<ChatMessage> messages = history.latest("s-1", 100);
        assertThat(contents(messages)).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 30)
                .mapToObj(i -> "m" + i).toList());
        for (int i = 1; i < messages.size(); i++) {
            assertThat(messages.get(i).timestamp()).isAfterOrEqualTo(messages.get(i - 1).timestamp());
        }
        // A second service (a restarted process) on the same database continues after the stored messages.
        ChatHistoryService restarted = chatHistoryService(anotherHandle(), ChatHistorySettings.defaults());
        restarted.addMessage("s-1", KEY_A, null, NewMessage.user("after restart"), null);
        assertThat(history.latest("s-1", 1).getFirst().content()).isEqualTo("after restart");
    }

    // --- several writers (gateway processes) on one database ----------------------------------------------------

    /** Writers as separate gateway processes would be: each its own database handle and service (own memory). */
    private List<ChatHistoryService> writers(int count) {
        List<ChatHistoryService> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(chatHistoryService(anotherHandle(), ChatHistorySettings.defaults()));
        }
        return out;
    }

    /** The stored messages of a session, oldest first, as pairs of (message id, role). */
    private List<String> storedIdsAndRoles(String session) {
        return history.latest(session, ChatHistoryService.MAX_LIMIT).stream()
                .map(m -> m.messageId() + " " + m.role()).toList();
    }

    private static List<String> idsAndRoles(List<ChatTurn> turns) {
        List<String> out = new ArrayList<>();
        for (ChatTurn t : turns) {
            out.add(t.user().messageId() + " user");
            out.add(t.assistant().messageId() + " assistant");
        }
        return out;
    }

    @Test
    void turns_alternating_between_writers_are_stored_once_each_in_the_order_they_were_acknowledged() {
        // The clock stands still and every turn says the same: nothing but the order of acknowledgement
        // distinguishes them.
        List<ChatHistoryService> writers = writers(3);
        for (int session = 0; session < 4; session++) {
            String id = "alternating-" + session;
            List<ChatTurn> acknowledged = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                ChatTurn t = writers.get((i + session) % writers.size()).addTurn(id, KEY_A, "user-1",
                        NewMessage.user("yes"), NewMessage.assistant("yes"), null);
                assertThat(t.replayed()).as("turn " + i + " of " + id).isFalse();
                acknowledged.add(t);
            }
            assertThat(storedIdsAndRoles(id)).as(id).containsExactlyElementsOf(idsAndRoles(acknowledged));
        }
    }

    @Test
    void concurrent_writers_on_one_session_store_every_acknowledged_turn_once_each_turn_whole_and_in_order()
            throws Exception {
        int threads = 4;
        int turnsEach = 10;
        List<ChatHistoryService> writers = writers(threads);
        int[] next = {0};
        List<List<ChatTurn>> byWriter = AuthServiceTest.concurrently(threads, () -> {
            ChatHistoryService writer;
            synchronized (next) {
                writer = writers.get(next[0]++);
            }
            List<ChatTurn> mine = new ArrayList<>();
            for (int i = 0; i < turnsEach; i++) {
                mine.add(writer.addTurn("shared", KEY_A, "user-1", NewMessage.user("yes"), NewMessage.assistant("yes"),
                        null));
            }
            return mine;
        });

        List<String> stored = storedIdsAndRoles("shared");
        assertThat(stored).hasSize(2 * threads * turnsEach).doesNotHaveDuplicates();
        for (List<ChatTurn> mine : byWriter) {
            List<String> expected = idsAndRoles(mine);
            // Each writer's turns, acknowledged one after another, are stored in that order, each user message
            // directly followed by its own assistant message.
            assertThat(stored).containsSubsequence(expected);
            for (ChatTurn t : mine) {
                int user = stored.indexOf(t.user().messageId() + " user");
                assertThat(stored.get(user + 1)).isEqualTo(t.assistant().messageId() + " assistant");
            }
        }
    }

    @Test
    void latest_returns_the_newest_n_in_chronological_order_and_refuses_limits_outside_1_to_500() {
        for (int i = 0; i < 5; i++) {
            turn(history, "s-1", KEY_A, "q" + i);
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(contents(history.latest("s-1", 3))).containsExactly("re: q3", "q4", "re: q4");
        assertThat(contents(history.latest("s-1", KEY_A, 2))).containsExactly("q4", "re: q4");
        assertThat(history.latest("unknown-session", 10)).isEmpty();
        for (int limit : new int[] {0, -1, 501}) {
            assertThatThrownBy(() -> history.latest("s-1", limit)).isInstanceOf(ServiceException.Unprocessable.class);
        }
        assertThat(history.latest("s-1", 500)).hasSize(10);
    }

    @Test
    void a_turn_is_stored_whole_or_not_at_all() {
        // The assistant half collides with a stored message: the user half must not be stored alone.
        history.addMessage("s-1", KEY_A, null, NewMessage.assistant("earlier"), "request-1");
        assertThatThrownBy(() -> history.addTurn("s-1", KEY_A, null, NewMessage.user("q"), NewMessage.assistant("a"),
                "request-1")).isInstanceOf(DuplicateKeyException.class);
        assertThat(contents(history.latest("s-1", 10))).containsExactly("earlier");

        // A value the database cannot store in the second half: nothing of the turn is written.
        Map<String, Object> bad = Map.of("x", new Object());
        assertThatThrownBy(() -> history.addTurn("s-2", KEY_A, null, NewMessage.user("q"),
                NewMessage.assistant("a").withMetadata(bad), null)).isInstanceOf(InvalidQueryException.class);
        assertThat(rows("s-2")).isZero();
    }

    @Test
    void a_retried_write_with_the_same_idempotency_key_stores_nothing_new_and_returns_the_first() {
        ChatTurn first = history.addTurn("s-1", KEY_A, null, NewMessage.user("q"), NewMessage.assistant("a"), "req-9");
        ChatTurn again = history.addTurn("s-1", KEY_A, null, NewMessage.user("q"), NewMessage.assistant("a"), "req-9");
        assertThat(again.replayed()).isTrue();
        assertThat(again.user()).isEqualTo(first.user());
        assertThat(again.assistant()).isEqualTo(first.assistant());
        assertThat(rows("s-1")).isEqualTo(2);
        // The same text without an idempotency key is a new message (people do repeat themselves).
        history.addTurn("s-1", KEY_A, null, NewMessage.user("q"), NewMessage.assistant("a"), null);
        assertThat(rows("s-1")).isEqualTo(4);
    }

    @Test
    void a_turn_must_be_a_user_then_an_assistant_message_and_roles_are_checked() {
        assertThatThrownBy(() -> history.addTurn("s-1", KEY_A, null, NewMessage.assistant("a"), NewMessage.user("q"), null))
                .isInstanceOf(ServiceException.InvalidInput.class);
        assertThatThrownBy(() -> history.addMessage("s-1", KEY_A, null, new NewMessage("wizard", "x", null, null), null))
                .isInstanceOf(ServiceException.InvalidInput.class);
        assertThat(db().count(CHAT_SESSIONS, all())).as("refused before claiming").isZero();
    }

    @Test
    void missing_and_malformed_session_ids_are_refused_with_400() {
        for (String session : new String[] {null, "", "   ", "a\nb", "s".repeat(257)}) {
            assertThatThrownBy(() -> turn(history, session, KEY_A, "q")).isInstanceOf(ServiceException.InvalidInput.class);
            assertThatThrownBy(() -> history.latest(session, 10)).isInstanceOf(ServiceException.InvalidInput.class);
            assertThatThrownBy(() -> history.clear(session, KEY_A)).isInstanceOf(ServiceException.InvalidInput.class);
        }
        assertThat(db().count(CHAT_HISTORY, all())).isZero();
    }

    // --- ownership --------------------------------------------------------------------------------------

    @Test
    void another_key_is_refused_reading_appending_and_clearing_before_any_work() {
        turn(history, "s-1", KEY_A, "mine");
        assertThatThrownBy(() -> turn(history, "s-1", KEY_B, "intrusion")).isInstanceOf(ServiceException.Forbidden.class)
                .hasMessage("Access denied");
        assertThatThrownBy(() -> history.latest("s-1", KEY_B, 10)).isInstanceOf(ServiceException.Forbidden.class);
        assertThatThrownBy(() -> history.context("s-1", KEY_B, null, 1000)).isInstanceOf(ServiceException.Forbidden.class);
        assertThatThrownBy(() -> history.clear("s-1", KEY_B)).isInstanceOf(ServiceException.Forbidden.class);
        assertThatThrownBy(() -> history.checkAccess("s-1", KEY_B)).isInstanceOf(ServiceException.Forbidden.class);
        assertThatThrownBy(() -> history.claim("s-1", KEY_B, null)).isInstanceOf(ServiceException.Forbidden.class);

        assertThat(contents(history.latest("s-1", KEY_A, 10))).containsExactly("mine", "re: mine");
        assertThat(db().count(CHAT_HISTORY, eq("api_key_hash", KEY_B.sha256()))).isZero();
        history.checkAccess("s-1", KEY_A);
        history.checkAccess("empty-session", KEY_B);
    }

    @Test
    void a_turns_reads_claim_a_new_session_for_its_key_and_user_before_the_model_is_asked() {
        TurnHistory first = history.forTurn("s-1", KEY_A, "user-1", 1_000, 50, null);
        assertThat(first.context()).isEmpty();
        assertThat(first.stored()).isEmpty();
        assertThatThrownBy(() -> history.forTurn("s-1", KEY_B, "user-1", 1_000, 50, null))
                .isInstanceOf(ServiceException.Forbidden.class);
        assertThatThrownBy(() -> history.forTurn("s-1", KEY_A, "user-2", 1_000, 50, null))
                .isInstanceOf(ServiceException.Forbidden.class);
        assertThatThrownBy(() -> history.addTurn("s-1", KEY_B, null, NewMessage.user("q"), NewMessage.assistant("a"),
                null)).isInstanceOf(ServiceException.Forbidden.class);
    }

    @Test
    void a_turns_reads_give_the_context_without_metadata_and_the_turn_stored_under_its_idempotency_key() {
        ChatTurn stored = history.addTurn("s-1", KEY_A, "user-1", NewMessage.user("q").withMetadata(Map.of("k", "v")),
                new NewMessage("assistant", "a", Map.of("model", "m"), 7L), "req-1");
        TurnHistory retry = history.forTurn("s-1", KEY_A, "user-1", 1_000, 50, "req-1");
        assertThat(retry.context()).containsExactly(new ContextMessage("user", "q", ChatHistoryService.estimateTokens("q")),
                new ContextMessage("assistant", "a", 7));
        assertThat(retry.stored()).contains(new ChatTurn(stored.user(), stored.assistant(), true));
        assertThat(history.forTurn("s-1", KEY_A, "user-1", 1_000, 50, "req-2").stored()).isEmpty();
        assertThat(history.forTurn("s-1", KEY_A, "user-1", 1_000, 50, null).stored()).isEmpty();
    }

    @Test
    void a_turns_reads_say_where_the_session_ends_and_storing_the_turn_there_continues_it() {
        assertThat(history.forTurn("s-1", KEY_A, "user-1", 1_000, 50, null).end())
                .isEqualTo(new TurnHistory.SessionEnd(null, null, null));
        ChatTurn first = turn(history, "s-1", KEY_A, "q1");
        TurnHistory read = history.forTurn("s-1", KEY_A, "user-1", 1, 50, null); // no room: the end is read all the same
        assertThat(read.context()).isEmpty();
        assertThat(read.end()).isEqualTo(new TurnHistory.SessionEnd(2L, first.assistant().timestamp(),
                first.assistant().messageId()));

        history.addTurn("s-1", KEY_A, "user-1", NewMessage.user("q2"), NewMessage.assistant("re: q2"), null, read.end());
        assertThat(contents(history.latest("s-1", KEY_A, 10))).containsExactly("q1", "re: q1", "q2", "re: q2");
        assertThat(db().findMany(CHAT_HISTORY, eq("session_id", "s-1"), dev.orbit.db.FindOptions.ALL).stream()
                .map(d -> d.getLong("sequence")).sorted().toList()).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void a_turn_stored_after_another_writer_moved_the_sessions_end_goes_after_that_writers_turn() {
        turn(history, "s-1", KEY_A, "q1");
        TurnHistory read = history.forTurn("s-1", KEY_A, "user-1", 1_000, 50, null);
        turn(history, "s-1", KEY_A, "meanwhile"); // another request of the same session, stored first

        history.addTurn("s-1", KEY_A, "user-1", NewMessage.user("q2"), NewMessage.assistant("re: q2"), null, read.end());
        assertThat(contents(history.latest("s-1", KEY_A, 10)))
                .containsExactly("q1", "re: q1", "meanwhile", "re: meanwhile", "q2", "re: q2");
    }

    @Test
    void a_turn_stored_after_its_session_was_cleared_and_continued_stays_in_order() {
        turn(history, "s-1", KEY_A, "q1");
        turn(history, "s-1", KEY_A, "q2");
        TurnHistory read = history.forTurn("s-1", KEY_A, "user-1", 1_000, 50, null);
        history.clear("s-1", KEY_A);
        turn(history, "s-1", KEY_A, "after clearing");

        history.addTurn("s-1", KEY_A, "user-1", NewMessage.user("q3"), NewMessage.assistant("re: q3"), null, read.end());
        assertThat(contents(history.latest("s-1", KEY_A, 10)))
                .containsExactly("after clearing", "re: after clearing", "q3", "re: q3");
    }

    @Test
    void a_turn_read_before_another_key_took_the_cleared_session_is_refused() {
        turn(history, "s-1", KEY_A, "q1");
        TurnHistory read = history.forTurn("s-1", KEY_A, "user-1", 1_000, 50, null);
        history.clear("s-1", KEY_A);
        turn(history, "s-1", KEY_B, "now mine");

        assertThatThrownBy(() -> history.addTurn("s-1", KEY_A, "user-1", NewMessage.user("q2"),
                NewMessage.assistant("re: q2"), null, read.end())).isInstanceOf(ServiceException.Forbidden.class);
        assertThat(contents(history.latest("s-1", KEY_B, 10))).containsExactly("now mine", "re: now mine");
    }

    @Test
    void a_session_claimed_before_asking_the_model_is_refused_to_another_key_before_its_first_message() {
        history.claim("s-1", KEY_A, "user-1");
        assertThatThrownBy(() -> history.checkAccess("s-1", KEY_B)).isInstanceOf(ServiceException.Forbidden.class);
        history.claim("s-1", KEY_A, "user-1");
        assertThat(turn(history, "s-1", KEY_A, "q").user().content()).isEqualTo("q");
    }

    @Test
    void the_owner_confirms_a_session_by_reading_and_its_activity_is_written_at_most_once_a_minute() {
        turn(history, "s-1", KEY_A, "first");
        Instant first = clock.instant();
        Document marker = db().findOne(CHAT_SESSIONS, eq("session_id", "s-1")).orElseThrow();
        assertThat(marker.getInstant("last_activity")).isEqualTo(first);

        clock.advance(Duration.ofSeconds(59));
        history.claim("s-1", KEY_A, "user-1");
        turn(history, "s-1", KEY_A, "second");
        assertThat(db().findOne(CHAT_SESSIONS, eq("session_id", "s-1")).orElseThrow().getInstant("last_activity"))
                .isEqualTo(first);

        clock.advance(Duration.ofMinutes(1));
        history.claim("s-1", KEY_A, "user-1");
        assertThat(db().findOne(CHAT_SESSIONS, eq("session_id", "s-1")).orElseThrow().getInstant("last_activity"))
                .isEqualTo(clock.instant());
        assertThatThrownBy(() -> history.claim("s-1", KEY_B, null)).isInstanceOf(ServiceException.Forbidden.class);
    }

    // --- round trips of a chat turn ---------------------------------------------------------------------------

    /** Whether the backend runs atomic units ({@link DatabaseService#executeAtomically}); a standalone MongoDB does not. */
    boolean runsAtomicUnits() {
        return true;
    }

    /** The database operations each of the steps runs, by operation and collection, as the metrics count them. */
    private final class OperationCounts {
        private final Metrics metrics = Metrics.fromConfig(MonitoringConfig.defaults());
        final ChatHistoryService service = chatHistoryService(metrics.instrument(db()), ChatHistorySettings.defaults());

        Map<String, Long> during(Runnable step) {
            Map<String, Long> before = counts();
            step.run();
            Map<String, Long> out = new TreeMap<>();
            counts().forEach((name, count) -> {
                long ran = count - before.getOrDefault(name, 0L);
                if (ran != 0) {
                    out.put(name, ran);
                }
            });
            return out;
        }

        private Map<String, Long> counts() {
            Map<String, Long> out = new TreeMap<>();
            for (Timer timer : metrics.registry().find("orbit.db.operation.duration").timers()) {
                out.put(timer.getId().getTag("operation") + " " + timer.getId().getTag("collection"), timer.count());
            }
            return out;
        }
    }

    /** A chat turn as the routes run it: its reads before the model is asked, then the turn stored after them. */
    static void chatTurn(ChatHistoryService service, String session) {
        TurnHistory read = service.forTurn(session, KEY_A, "user-1", 1_000, 50, null);
        service.addTurn(session, KEY_A, "user-1", NewMessage.user("q"), NewMessage.assistant("a"), null, read.end());
    }

    /** What a turn runs besides its atomic unit, and the unit itself where the backend runs them. */
    private Map<String, Long> expected(Object... operationsAndCounts) {
        Map<String, Long> out = new TreeMap<>();
        for (int i = 0; i < operationsAndCounts.length; i += 2) {
            out.put((String) operationsAndCounts[i], ((Number) operationsAndCounts[i + 1]).longValue());
        }
        if (runsAtomicUnits()) {
            out.put("transaction other", 1L);
        }
        return out;
    }

    @Test
    void a_turn_of_a_busy_session_stores_with_its_owner_check_and_touch_in_one_unit() {
        OperationCounts counted = new OperationCounts();
        chatTurn(counted.service, "warm-up"); // a standalone MongoDB's service learns it runs no atomic units
        chatTurn(counted.service, "s-1");

        // The owner record and the context before the model, then one unit: the owner record read again (the
        // store-time check) with the insert.
        assertThat(counted.during(() -> chatTurn(counted.service, "s-1"))).isEqualTo(expected(
                "find_many chat_history", 1, "find_one chat_sessions", 2, "insert_many chat_history", 1));
        // A minute on, the session's activity is recorded by the same unit.
        clock.advance(SessionOwners.TOUCH_INTERVAL);
        assertThat(counted.during(() -> chatTurn(counted.service, "s-1"))).isEqualTo(expected(
                "find_many chat_history", 1, "find_one chat_sessions", 2, "update_one chat_sessions", 1,
                "insert_many chat_history", 1));
        // A new session: its owner record read and another key's messages looked for once, the record inserted
        // (no touch of a record that is not there), then the turn's unit.
        assertThat(counted.during(() -> chatTurn(counted.service, "s-2"))).isEqualTo(expected(
                "find_many chat_history", 1, "find_one chat_history", 1, "find_one chat_sessions", 2,
                "insert_one chat_sessions", 1, "insert_many chat_history", 1));
    }

    // --- context windows ---------------------------------------------------------------------------------------

    @Test
    void a_turn_of_a_session_this_process_just_served_checks_its_window_with_two_small_reads() {
        OperationCounts counted = new OperationCounts();
        chatTurn(counted.service, "warm-up");
        chatTurn(counted.service, "s-1");
        chatTurn(counted.service, "s-1"); // reads the context, keeps it as the window and extends it with the turn

        // The session's newest message (a find of one) and how many messages it holds from the window's oldest
        // place on, not the context's rows.
        assertThat(counted.during(() -> chatTurn(counted.service, "s-1"))).isEqualTo(expected(
                "find_many chat_history", 1, "count chat_history", 1, "find_one chat_sessions", 2,
                "insert_many chat_history", 1));
        // A window is read again once it is old (ContextWindows.MAX_AGE).
        clock.advance(ContextWindows.MAX_AGE);
        assertThat(counted.during(() -> chatTurn(counted.service, "s-1"))).containsEntry("find_many chat_history", 1L)
                .doesNotContainKey("count chat_history");
        assertThat(counted.during(() -> chatTurn(counted.service, "s-1"))).containsEntry("count chat_history", 1L);
    }

    /** A turn of {@code text} as the routes run it; returns the context its reads gave. */
    private static List<String> routeTurn(ChatHistoryService service, String session, String text) {
        TurnHistory read = service.forTurn(session, KEY_A, "user-1", 10_000, 50, null);
        service.addTurn(session, KEY_A, "user-1", NewMessage.user(text), NewMessage.assistant("re: " + text), null,
                read.end());
        return texts(read.context());
    }

    @Test
    void a_window_sees_turns_another_process_stored_and_messages_it_deleted_or_cleared() {
        ChatHistoryService elsewhere = chatHistoryService(anotherHandle(), ChatHistorySettings.defaults());
        routeTurn(history, "s-1", "q0");
        routeTurn(history, "s-1", "q1");
        assertThat(routeTurn(history, "s-1", "q2")).as("from the window").containsExactly("q0", "re: q0", "q1", "re: q1");
        routeTurn(elsewhere, "s-1", "there");

        assertThat(routeTurn(history, "s-1", "q3")).containsExactly("q0", "re: q0", "q1", "re: q1", "q2", "re: q2",
                "there", "re: there");
        // A message removed from among the window's (an admin's tool, retention) while the newest stays.
        Document q1 = db().findMany(CHAT_HISTORY, eq("session_id", "s-1")).stream()
                .filter(d -> d.getString("content").equals("q1")).findFirst().orElseThrow();
        anotherHandle().deleteMany(CHAT_HISTORY, eq("_id", q1.id()));
        assertThat(routeTurn(history, "s-1", "q4")).containsExactly("q0", "re: q0", "re: q1", "q2", "re: q2",
                "there", "re: there", "q3", "re: q3");
        // Cleared and continued by another process with as many messages as before.
        elsewhere.clear("s-1", KEY_A);
        for (int i = 0; i < 5; i++) {
            routeTurn(elsewhere, "s-1", "new" + i);
        }
        assertThat(routeTurn(history, "s-1", "q5")).containsExactly("new0", "re: new0", "new1", "re: new1", "new2",
                "re: new2", "new3", "re: new3", "new4", "re: new4");
        // Another process's turn, and two of the window's messages removed: as many messages as before.
        routeTurn(elsewhere, "s-1", "more");
        anotherHandle().deleteMany(CHAT_HISTORY, and(eq("session_id", "s-1"), in("content", List.of("new0", "re: new0"))));
        assertThat(routeTurn(history, "s-1", "q6")).containsExactly("new1", "re: new1", "new2", "re: new2", "new3",
                "re: new3", "new4", "re: new4", "q5", "re: q5", "more", "re: more");
    }

    private static final int ALL_TOKENS = 100_000;

    /** The context a turn of {@code key} reads (no user), as a fresh read of another process would give it too. */
    private List<String> contextOf(ChatHistoryService service, String session, ApiKeyFingerprint key) {
        return texts(service.forTurn(session, key, null, ALL_TOKENS, 50, null).context());
    }

    /**
     * Found in review: a turn stored in a session that another key had held meanwhile once extended the window of
     * the other key's messages (its place followed the window's newest place, not its newest message).
     */
    @Test
    void a_window_never_serves_a_key_the_messages_another_key_held_the_session_with() {
        ChatHistoryService here = history;
        ChatHistoryService there = chatHistoryService(anotherHandle(), ChatHistorySettings.defaults());
        String s = "shared";
        TurnHistory waiting = here.forTurn(s, KEY_A, null, ALL_TOKENS, 50, null); // A's turn waits for its model
        there.clear(s, KEY_A);
        TurnHistory b = there.forTurn(s, KEY_B, null, ALL_TOKENS, 50, null);
        there.addTurn(s, KEY_B, null, NewMessage.user("B secret question"), NewMessage.assistant("B secret answer"),
                null, b.end());
        assertThat(contextOf(here, s, KEY_B)).containsExactly("B secret question", "B secret answer");
        there.clear(s, KEY_B);
        TurnHistory a = there.forTurn(s, KEY_A, null, ALL_TOKENS, 50, null);
        there.addTurn(s, KEY_A, null, NewMessage.user("a1"), NewMessage.assistant("a2"), null, a.end());
        here.addTurn(s, KEY_A, null, NewMessage.user("t1"), NewMessage.assistant("t2"), null, waiting.end());

        assertThat(contextOf(here, s, KEY_A)).containsExactly("a1", "a2", "t1", "t2");
    }

    /**
     * Found in the second review: a session of one user of a key, cleared and refilled by the key without a user, then
     * continued by the first user's turn from before the clear, once served the first user's cleared messages to a
     * second user of the key. A window is tied to the owner record it was read under.
     */
    @Test
    void a_window_never_serves_one_user_of_a_key_what_another_user_cleared() {
        ChatHistoryService here = history;
        ChatHistoryService there = chatHistoryService(anotherHandle(), ChatHistorySettings.defaults());
        String s = "s1";
        for (String text : List.of("u1 secret q1", "u1 secret q2")) {
            TurnHistory t = there.forTurn(s, KEY_A, "u1", ALL_TOKENS, 50, null);
            there.addTurn(s, KEY_A, "u1", NewMessage.user(text), NewMessage.assistant("re: " + text), null, t.end());
        }
        assertThatThrownBy(() -> here.forTurn(s, KEY_A, "u2", ALL_TOKENS, 50, null))
                .isInstanceOf(ServiceException.Forbidden.class);
        TurnHistory waiting = here.forTurn(s, KEY_A, "u1", ALL_TOKENS, 50, null); // u1's turn waits for its model
        there.clear(s, KEY_A);
        for (String text : List.of("n1", "n3")) {
            TurnHistory t = there.forTurn(s, KEY_A, null, ALL_TOKENS, 50, null);
            there.addTurn(s, KEY_A, null, NewMessage.user(text), NewMessage.assistant("re: " + text), null, t.end());
        }
        here.addTurn(s, KEY_A, "u1", NewMessage.user("t1"), NewMessage.assistant("t2"), null, waiting.end());

        assertThat(texts(here.forTurn(s, KEY_A, "u2", ALL_TOKENS, 50, null).context()))
                .containsExactly("n1", "re: n1", "n3", "re: n3", "t1", "t2");
    }

    /**
     * Found in review: a turn placed after an end read before a clear can land above a turn stored after the clear,
     * so a window that held all of a session's messages must count all of them, not only those from its place on.
     */
    @Test
    void a_window_of_a_whole_session_sees_messages_placed_below_it() {
        ChatHistoryService there = chatHistoryService(anotherHandle(), ChatHistorySettings.defaults());
        for (int i = 0; i < 3; i++) {
            TurnHistory t = there.forTurn("s", KEY_A, null, ALL_TOKENS, 50, null);
            there.addTurn("s", KEY_A, null, NewMessage.user("old" + i), NewMessage.assistant("re old" + i), null, t.end());
        }
        TurnHistory second = there.forTurn("s", KEY_A, null, ALL_TOKENS, 50, null); // ends at 6; waits
        there.clear("s", KEY_A);
        TurnHistory third = there.forTurn("s", KEY_A, null, ALL_TOKENS, 50, null); // empty; waits
        there.addTurn("s", KEY_A, null, NewMessage.user("T2"), NewMessage.assistant("re T2"), null, second.end());
        assertThat(contextOf(history, "s", KEY_A)).containsExactly("T2", "re T2");
        there.addTurn("s", KEY_A, null, NewMessage.user("T3"), NewMessage.assistant("re T3"), null, third.end());

        assertThat(contextOf(history, "s", KEY_A)).isEqualTo(contextOf(
                chatHistoryService(db(), ChatHistorySettings.defaults()), "s", KEY_A)).hasSize(4);
    }

    @Test
    void with_a_per_session_cap_a_window_gives_what_a_fresh_read_gives() {
        ChatHistoryService capped = chatHistoryService(db(), ChatHistorySettings.defaults().withMaxMessagesPerSession(6));
        for (int i = 0; i < 10; i++) {
            List<ContextMessage> fresh = chatHistoryService(db(), ChatHistorySettings.defaults())
                    .forTurn("s-1", KEY_A, "user-1", 10_000, 50, null).context();
            assertThat(routeTurn(capped, "s-1", "q" + i)).as("turn %d", i).isEqualTo(texts(fresh))
                    .hasSize(Math.min(2 * i, 6));
        }
    }

    @Test
    void a_context_from_the_window_is_the_one_a_fresh_read_gives_for_every_budget_and_cap() {
        for (int i = 0; i < 30; i++) {
            TurnHistory read = history.forTurn("s-1", KEY_A, "user-1", 10_000, 50, null);
            history.addTurn("s-1", KEY_A, "user-1", new NewMessage("user", "q" + i, null, 1L + i % 7),
                    new NewMessage("assistant", "a" + i, null, 2L + i % 5), null, read.end());
        }
        for (int cap : new int[] {1, 4, 50, 7, 100, 500, 3}) {
            for (int budget : new int[] {1, 9, 40, 10_000}) {
                List<ContextMessage> fromWindow = history.forTurn("s-1", KEY_A, "user-1", budget, cap, null).context();
                ChatHistoryService fresh = chatHistoryService(db(), ChatHistorySettings.defaults());
                assertThat(fromWindow).as("cap %d, budget %d", cap, budget)
                        .isEqualTo(fresh.forTurn("s-1", KEY_A, "user-1", budget, cap, null).context());
            }
        }
    }

    @Test
    void two_keys_racing_to_write_first_to_new_sessions_end_with_exactly_one_owner_every_time() throws Exception {
        ChatHistoryService elsewhere = chatHistoryService(anotherHandle(), ChatHistorySettings.defaults());
        for (int round = 0; round < 8; round++) {
            String session = "race-" + round;
            int[] index = {0};
            List<ApiKeyFingerprint> outcomes = AuthServiceTest.concurrently(16, () -> {
                int i;
                synchronized (index) {
                    i = index[0]++;
                }
                ApiKeyFingerprint key = i % 2 == 0 ? KEY_A : KEY_B;
                ChatHistoryService service = i % 4 < 2 ? history : elsewhere;
                try {
                    turn(service, session, key, "from " + i);
                    return key;
                } catch (ServiceException.Forbidden refused) {
                    return null;
                }
            });
            Set<ApiKeyFingerprint> winners = new HashSet<>(outcomes.stream().filter(Objects::nonNull).toList());
            assertThat(winners).as("round " + round).hasSize(1);
            ApiKeyFingerprint owner = winners.iterator().next();
            long successes = outcomes.stream().filter(Objects::nonNull).count();
            assertThat(successes).isEqualTo(8);
            List<Document> stored = db().findMany(CHAT_HISTORY, eq("session_id", session));
            assertThat(stored).hasSize(16).allSatisfy(d -> assertThat(d.getString("api_key_hash")).isEqualTo(owner.sha256()));
            assertThat(db().findMany(CHAT_SESSIONS, eq("session_id", session))).singleElement()
                    .satisfies(m -> assertThat(m.getString("api_key_hash")).isEqualTo(owner.sha256()));
        }
    }

    /**
     * Found in review: a turn stored between a clear's delete of the messages and its release of the owner record
     * was left without an owner, and another user of the key could then read it.
     */
    @Test
    void a_turn_stored_while_its_session_is_cleared_keeps_its_owner_and_another_user_stays_refused() {
        HookedDatabase hooked = new HookedDatabase(anotherHandle());
        ChatHistoryService clearing = chatHistoryService(hooked, ChatHistorySettings.defaults());
        TurnHistory first = history.forTurn("s-1", KEY_A, "u1", 10_000, 50, null);
        history.addTurn("s-1", KEY_A, "u1", NewMessage.user("old"), NewMessage.assistant("re: old"), null, first.end());
        TurnHistory waiting = history.forTurn("s-1", KEY_A, "u1", 10_000, 50, null);
        hooked.afterNextDeleteMany(() -> history.addTurn("s-1", KEY_A, "u1", NewMessage.user("u1 secret"),
                NewMessage.assistant("re: u1 secret"), null, waiting.end()));

        clearing.clear("s-1", KEY_A);

        assertThatThrownBy(() -> history.forTurn("s-1", KEY_A, "u2", 10_000, 50, null))
                .isInstanceOf(ServiceException.Forbidden.class);
        assertThat(texts(history.forTurn("s-1", KEY_A, "u1", 10_000, 50, null).context()))
                .containsExactly("u1 secret", "re: u1 secret");
    }

    @Test
    void clearing_by_the_owner_deletes_the_messages_and_frees_the_session() {
        turn(history, "s-1", KEY_A, "one");
        turn(history, "s-1", KEY_A, "two");
        turn(history, "s-2", KEY_A, "other session");
        ClearedSession cleared = history.clear("s-1", KEY_A);
        assertThat(cleared.deletedCount()).isEqualTo(4);
        assertThat(cleared.sessionId()).isEqualTo("s-1");
        assertThat(cleared.timestamp()).isEqualTo(clock.instant());
        assertThat(rows("s-1")).isZero();
        assertThat(rows("s-2")).isEqualTo(2);
        assertThat(history.clear("s-1", KEY_A).deletedCount()).isZero();

        turn(history, "s-1", KEY_B, "new owner");
        assertThatThrownBy(() -> history.latest("s-1", KEY_A, 10)).isInstanceOf(ServiceException.Forbidden.class);
    }

    @Test
    void a_session_written_before_owner_records_existed_belongs_to_the_key_on_its_rows() {
        Instant old = Instant.parse("2025-12-01T00:00:00Z");
        for (int i = 0; i < 3; i++) {
            db().insertOne(CHAT_HISTORY, Document.of("session_id", "legacy", "role", "user", "content", "old " + i,
                    "timestamp", old.plusSeconds(i), "api_key", "...AAAAAA", "api_key_hash", KEY_A.sha256(),
                    "user_id", "user-1", "message_hash", "legacy-" + i));
        }
        assertThatThrownBy(() -> turn(history, "legacy", KEY_B, "intrusion")).isInstanceOf(ServiceException.Forbidden.class);
        assertThatThrownBy(() -> history.latest("legacy", KEY_B, 10)).isInstanceOf(ServiceException.Forbidden.class);
        assertThat(db().findOne(CHAT_SESSIONS, eq("session_id", "legacy")).orElseThrow().getString("api_key_hash"))
                .as("adopted").isEqualTo(KEY_A.sha256());

        turn(history, "legacy", KEY_A, "new");
        assertThat(contents(history.latest("legacy", KEY_A, 10))).containsExactly("old 0", "old 1", "old 2", "new", "re: new");
    }

    @Test
    void a_session_whose_old_rows_carry_no_fingerprint_is_claimed_by_the_first_key_that_writes() {
        db().insertOne(CHAT_HISTORY, Document.of("session_id", "anon", "role", "user", "content", "old",
                "timestamp", Instant.parse("2025-12-01T00:00:00Z")));
        history.checkAccess("anon", KEY_B);
        turn(history, "anon", KEY_A, "claimed");
        assertThatThrownBy(() -> history.latest("anon", KEY_B, 10)).isInstanceOf(ServiceException.Forbidden.class);
    }

    // --- context, listing, retention ---------------------------------------------------------------------------

    @Test
    void context_keeps_the_newest_messages_that_fit_the_token_budget_in_chronological_order() {
        for (int i = 0; i < 6; i++) {
            history.addMessage("s-1", KEY_A, null, new NewMessage(i % 2 == 0 ? "user" : "assistant", "m" + i, null, 10L + i),
                    null);
        }
        // Newest first: m5=15, m4=14, m3=13 → 42; m2 (12) would make 54.
        assertThat(texts(history.context("s-1", KEY_A, null, 53))).containsExactly("m3", "m4", "m5");
        assertThat(texts(history.context("s-1", KEY_A, null, 54))).containsExactly("m2", "m3", "m4", "m5");
        assertThat(history.context("s-1", KEY_A, null, 14)).isEmpty();
        assertThat(texts(history.context("s-1", KEY_A, null, 10_000))).hasSize(6);
        assertThat(history.context("new-session", KEY_B, null, 100)).isEmpty();
    }

    @Test
    void context_pages_through_long_sessions() {
        for (int i = 0; i < 250; i++) {
            history.addMessage("s-1", KEY_A, null, new NewMessage("user", "m" + i, null, 1L), null);
        }
        List<ContextMessage> context = history.context("s-1", KEY_A, null, 230);
        assertThat(context).hasSize(230);
        assertThat(context.getFirst().content()).isEqualTo("m20");
        assertThat(context.getLast().content()).isEqualTo("m249");
    }

    @Test
    void context_keeps_at_most_the_newest_max_messages() {
        for (int i = 0; i < 30; i++) {
            history.addMessage("s-1", KEY_A, null, new NewMessage("user", "m" + i, null, 1L), null);
        }
        assertThat(texts(history.context("s-1", KEY_A, null, 1_000, 4))).containsExactly("m26", "m27", "m28", "m29");
        assertThat(texts(history.context("s-1", KEY_A, null, 2, 4))).containsExactly("m28", "m29");
        assertThat(history.context("s-1", KEY_A, null, 1_000, 500)).hasSize(30);
        assertThatThrownBy(() -> history.context("s-1", KEY_A, null, 1_000, 0)).isInstanceOf(ServiceException.Unprocessable.class);
        assertThatThrownBy(() -> history.context("s-1", KEY_B, null, 1_000, 4)).isInstanceOf(ServiceException.Forbidden.class);
    }

    @Test
    void a_users_sessions_are_listed_by_last_activity_with_message_counts_and_paged() {
        turn(history, "s-old", KEY_A, "a");
        clock.advance(Duration.ofMinutes(1));
        turn(history, "s-new", KEY_B, "b");
        turn(history, "s-new", KEY_B, "c");
        clock.advance(Duration.ofMinutes(1));
        history.addTurn("s-other-user", KEY_A, "user-2", NewMessage.user("x"), NewMessage.assistant("y"), null);

        List<SessionSummary> sessions = history.sessionsOfUser("user-1", 10, 0);
        assertThat(sessions).extracting(SessionSummary::sessionId).containsExactly("s-new", "s-old");
        assertThat(sessions).extracting(SessionSummary::messageCount).containsExactly(4L, 2L);
        assertThat(sessions.getFirst().lastActivity()).isEqualTo(clock.instant().minus(Duration.ofMinutes(1)));
        assertThat(history.sessionsOfUser("user-1", 1, 1)).extracting(SessionSummary::sessionId).containsExactly("s-old");
        assertThat(history.sessionsOfUser("nobody", 10, 0)).isEmpty();
        assertThatThrownBy(() -> history.sessionsOfUser(" ", 10, 0)).isInstanceOf(ServiceException.InvalidInput.class);
    }

    @Test
    void sessions_with_equal_activity_are_listed_latest_started_first_then_by_session_id_every_time() {
        // The clock stands still: six sessions tie on last_activity and created_at.
        List<String> ids = List.of("s-d", "s-b", "s-f", "s-a", "s-e", "s-c");
        for (String id : ids) {
            turn(history, id, KEY_A, "q");
        }
        assertThat(history.sessionsOfUser("user-1", 10, 0)).extracting(SessionSummary::sessionId)
                .containsExactly("s-a", "s-b", "s-c", "s-d", "s-e", "s-f");
        assertThat(history.sessionsOfUser("user-1", 2, 2)).extracting(SessionSummary::sessionId)
                .containsExactly("s-c", "s-d");

        // Equal last_activity, different starts: the later start comes first, whatever the ids say.
        history.claim("u2-a", KEY_A, "user-2");
        clock.advance(Duration.ofMinutes(2));
        history.claim("u2-a", KEY_A, "user-2"); // touched now
        history.claim("u2-z", KEY_A, "user-2"); // started now
        assertThat(history.sessionsOfUser("user-2", 10, 0)).extracting(SessionSummary::sessionId)
                .containsExactly("u2-z", "u2-a");
    }

    @Test
    void retention_deletes_old_messages_in_bounded_batches_and_frees_sessions_left_empty() {
        ChatHistoryService retained = chatHistoryService(db(), ChatHistorySettings.defaults().withRetention(30, 3));
        for (int i = 0; i < 4; i++) {
            turn(retained, "s-old", KEY_A, "old " + i); // 8 messages
        }
        turn(retained, "s-mixed", KEY_A, "old");
        clock.advance(Duration.ofDays(31));
        turn(retained, "s-mixed", KEY_A, "recent");
        turn(retained, "s-new", KEY_B, "recent");

        assertThat(retained.purgeExpired()).isEqualTo(10);
        assertThat(rows("s-old")).isZero();
        assertThat(contents(retained.latest("s-mixed", 10))).containsExactly("recent", "re: recent");
        assertThat(rows("s-new")).isEqualTo(2);
        assertThat(db().findMany(CHAT_SESSIONS, all())).extracting(d -> d.getString("session_id"))
                .containsExactlyInAnyOrder("s-mixed", "s-new");
        assertThat(retained.purgeExpired()).isZero();
        // The freed session may be taken by another key now.
        turn(retained, "s-old", KEY_B, "mine now");
    }

    @Test
    void retention_of_zero_days_keeps_everything() {
        ChatHistoryService forever = chatHistoryService(db(), ChatHistorySettings.defaults().withRetention(0, 10));
        turn(forever, "s-1", KEY_A, "q");
        clock.advance(Duration.ofDays(10_000));
        assertThat(forever.purgeExpired()).isZero();
        assertThat(rows("s-1")).isEqualTo(2);
    }

    @Test
    void the_per_session_cap_deletes_the_oldest_messages() {
        ChatHistoryService capped = chatHistoryService(db(), ChatHistorySettings.defaults().withMaxMessagesPerSession(5));
        for (int i = 0; i < 4; i++) {
            turn(capped, "s-1", KEY_A, "q" + i);
        }
        assertThat(contents(capped.latest("s-1", 100))).containsExactly("re: q1", "q2", "re: q2", "q3", "re: q3");
    }

    @Test
    void a_database_failure_propagates() {
        DatabaseService other = anotherHandle();
        ChatHistoryService service = chatHistoryService(other, ChatHistorySettings.defaults());
        other.close();
        assertThatThrownBy(() -> turn(service, "s-1", KEY_A, "q")).isInstanceOf(DatabaseException.class);
        assertThatThrownBy(() -> service.latest("s-1", KEY_A, 10)).isInstanceOf(DatabaseException.class);
    }
}
