package dev.orbit.service;

import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.OrbitSchema.CONVERSATION_THREADS;
import static dev.orbit.db.OrbitSchema.FEEDBACK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.db.Document;
import dev.orbit.db.Filters;
import dev.orbit.db.OrbitSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link FeedbackService}, {@link ThreadService} and {@link ConversationService} on one backend (a subclass each). */
abstract class FeedbackAndThreadsServiceTest extends ServiceTestBase {
    static final ApiKeyFingerprint KEY_A = ApiKeyFingerprint.of("orbit_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    static final ApiKeyFingerprint KEY_B = ApiKeyFingerprint.of("orbit_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB");

    ChatHistoryService history;
    FeedbackService feedback;
    ThreadService threads;
    ConversationService conversations;
    ChatTurn turn;

    @BeforeEach
    void createServices() {
        history = chatHistoryService(db(), ChatHistorySettings.defaults());
        feedback = new FeedbackService(db(), history, clock);
        threads = new ThreadService(db(), history, Duration.ofHours(24), clock);
        conversations = new ConversationService(history, threads, feedback);
        turn = history.addTurn("s-1", KEY_A, "user-1", NewMessage.user("What is ORBIT?"),
                NewMessage.assistant("A gateway."), null);
    }

    private FeedbackService.Vote vote(String type, String comment) {
        return new FeedbackService.Vote("s-1", turn.assistant().messageId(), type, comment, "user-1", "chat");
    }

    // --- feedback --------------------------------------------------------------------------------------------

    @Test
    void a_vote_without_comment_toggles_and_switches() {
        assertThat(feedback.vote(vote("up", null), KEY_A)).isEqualTo(
                new Feedback(turn.assistant().messageId(), "up", null, "created"));
        assertThat(feedback.vote(vote("down", null), KEY_A).action()).isEqualTo("updated");
        assertThat(feedback.ofSession("s-1", KEY_A)).extracting(Feedback::feedbackType).containsExactly("down");
        Feedback removed = feedback.vote(vote("down", null), KEY_A);

        assertThat(removed).isEqualTo(new Feedback(turn.assistant().messageId(), null, null, "removed"));
        assertThat(feedback.ofSession("s-1", KEY_A)).isEmpty();
        assertThat(db().count(FEEDBACK, eq("session_id", "s-1"))).isZero();
    }

    @Test
    void a_comment_sets_vote_and_comment_and_a_plain_switch_clears_it() {
        feedback.vote(vote("down", "too short"), KEY_A);
        assertThat(feedback.vote(vote("down", "really too short"), KEY_A))
                .isEqualTo(new Feedback(turn.assistant().messageId(), "down", "really too short", "updated"));
        feedback.vote(vote("up", null), KEY_A);

        Document row = db().findOne(FEEDBACK, eq("session_id", "s-1")).orElseThrow();
        assertThat(row.getString("feedback_type")).isEqualTo("up");
        assertThat(row.getString("comment")).isNull();
        assertThat(row.getString("adapter_name")).isEqualTo("chat");
        assertThat(row.getString("user_id")).isEqualTo("user-1");
        assertThat(row.getInstant("created_at")).isEqualTo(clock.instant());
    }

    @Test
    void only_the_sessions_key_votes_and_only_on_its_assistant_messages() {
        assertThatThrownBy(() -> feedback.vote(vote("up", null), KEY_B)).isInstanceOf(ServiceException.Forbidden.class);
        assertThatThrownBy(() -> feedback.ofSession("s-1", KEY_B)).isInstanceOf(ServiceException.Forbidden.class);
        assertThatThrownBy(() -> feedback.vote(new FeedbackService.Vote("s-1", turn.user().messageId(), "up", null,
                null, "chat"), KEY_A)).isInstanceOf(ServiceException.NotFound.class);
        for (String hostile : List.of("nope", "0123456789abcdef01234567", "{\"$gt\":\"\"}", "x\u0000y", "")) {
            assertThatThrownBy(() -> feedback.vote(new FeedbackService.Vote("s-1", hostile, "up", null, null, "chat"),
                    KEY_A)).as(hostile).isInstanceOf(ServiceException.NotFound.class);
        }
        assertThatThrownBy(() -> feedback.vote(vote("meh", null), KEY_A))
                .isInstanceOf(ServiceException.Unprocessable.class);
        assertThatThrownBy(() -> feedback.vote(vote("up", "x".repeat(FeedbackService.MAX_COMMENT + 1)), KEY_A))
                .isInstanceOf(ServiceException.Unprocessable.class);
        assertThat(feedback.vote(vote("up", "é".repeat(FeedbackService.MAX_COMMENT)), KEY_A).action()).isEqualTo("created");
    }

    // --- threads ---------------------------------------------------------------------------------------------

    @Test
    void a_thread_is_a_new_session_starting_with_the_turn() {
        ConversationThread thread = threads.create("s-1", turn.assistant().messageId(), KEY_A, "chat", "user-1");

        assertThat(thread.parentMessageId()).isEqualTo(turn.assistant().messageId());
        assertThat(thread.parentSessionId()).isEqualTo("s-1");
        assertThat(thread.threadSessionId()).isNotEqualTo("s-1");
        assertThat(thread.queryContext()).isEqualTo("What is ORBIT?");
        assertThat(thread.adapterName()).isEqualTo("chat");
        assertThat(thread.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(24)));
        assertThat(history.latest(thread.threadSessionId(), KEY_A, 10)).extracting(ChatMessage::role, ChatMessage::content)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("user", "What is ORBIT?"),
                        org.assertj.core.groups.Tuple.tuple("assistant", "A gateway."));
        assertThat(threads.get(thread.threadId(), KEY_A)).isEqualTo(thread);
        assertThat(threads.create("s-1", turn.assistant().messageId(), KEY_A, "chat", null)).isEqualTo(thread);
        Document row = db().findOne(CONVERSATION_THREADS, eq("thread_session_id", thread.threadSessionId())).orElseThrow();
        assertThat(row.getString("owner_api_key_hash")).isEqualTo(KEY_A.sha256());
    }

    @Test
    void threads_are_owned_expire_and_start_only_from_assistant_messages() {
        ConversationThread thread = threads.create("s-1", turn.assistant().messageId(), KEY_A, "chat", null);

        assertThatThrownBy(() -> threads.get(thread.threadId(), KEY_B)).isInstanceOf(ServiceException.Forbidden.class);
        assertThatThrownBy(() -> threads.delete(thread.threadId(), KEY_B)).isInstanceOf(ServiceException.Forbidden.class);
        assertThatThrownBy(() -> threads.create("s-1", turn.assistant().messageId(), KEY_B, "chat", null))
                .isInstanceOf(ServiceException.Forbidden.class);
        assertThatThrownBy(() -> threads.create("s-1", turn.user().messageId(), KEY_A, "chat", null))
                .isInstanceOf(ServiceException.InvalidInput.class);
        assertThatThrownBy(() -> threads.get("no-such-thread", KEY_A)).isInstanceOf(ServiceException.NotFound.class);

        clock.advance(Duration.ofHours(24));
        assertThatThrownBy(() -> threads.get(thread.threadId(), KEY_A)).isInstanceOf(ServiceException.NotFound.class);
        assertThat(threads.create("s-1", turn.assistant().messageId(), KEY_A, "chat", null).threadId())
                .isNotEqualTo(thread.threadId());
    }

    @Test
    void two_gateways_branching_one_message_at_once_store_one_thread_and_both_return_it() throws Exception {
        // Two services on one database, as two gateway processes: their only shared state is the database.
        ThreadService otherGateway = new ThreadService(db(), chatHistoryService(db(), ChatHistorySettings.defaults()),
                Duration.ofHours(24), clock);
        int rounds = 8;
        int callers = 6;
        for (int round = 0; round < rounds; round++) {
            String session = "race-" + round;
            ChatTurn parent = history.addTurn(session, KEY_A, null, NewMessage.user("q" + round),
                    NewMessage.assistant("a" + round), null);
            CyclicBarrier start = new CyclicBarrier(callers);
            List<Future<ConversationThread>> created = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(callers)) {
                for (int i = 0; i < callers; i++) {
                    ThreadService gateway = i % 2 == 0 ? threads : otherGateway;
                    created.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return gateway.create(session, parent.assistant().messageId(), KEY_A, "chat", null);
                    }));
                }
            }
            Set<String> ids = new HashSet<>();
            for (Future<ConversationThread> f : created) {
                ids.add(f.get().threadId());
            }
            assertThat(ids).as("round " + round + ": every caller got the one thread").hasSize(1);
            assertThat(db().count(CONVERSATION_THREADS, eq("parent_message_id", parent.assistant().messageId())))
                    .as("round " + round + ": threads stored").isEqualTo(1);
        }
        // The losers' thread sessions are gone: the setup turn, and per round its turn and one thread's turn.
        assertThat(db().count(OrbitSchema.CHAT_HISTORY, Filters.all())).isEqualTo(2 + 4L * rounds);
    }

    @Test
    void deleting_a_thread_deletes_its_session() {
        ConversationThread thread = threads.create("s-1", turn.assistant().messageId(), KEY_A, "chat", null);

        assertThat(threads.delete(thread.threadId(), KEY_A).threadId()).isEqualTo(thread.threadId());

        assertThat(history.latest(thread.threadSessionId(), 10)).isEmpty();
        assertThatThrownBy(() -> threads.delete(thread.threadId(), KEY_A)).isInstanceOf(ServiceException.NotFound.class);
        assertThat(history.latest("s-1", 10)).hasSize(2);
    }

    // --- conversations ---------------------------------------------------------------------------------------

    @Test
    void deleting_a_conversation_takes_its_threads_and_feedback_with_it_for_its_owner_only() {
        ConversationThread thread = threads.create("s-1", turn.assistant().messageId(), KEY_A, "chat", null);
        feedback.vote(vote("up", "nice"), KEY_A);
        ChatTurn other = history.addTurn("s-2", KEY_A, null, NewMessage.user("q"), NewMessage.assistant("a"), null);
        feedback.vote(new FeedbackService.Vote("s-2", other.assistant().messageId(), "down", null, null, "chat"), KEY_A);

        assertThatThrownBy(() -> conversations.delete("s-1", KEY_B)).isInstanceOf(ServiceException.Forbidden.class);
        assertThat(feedback.ofSession("s-1", KEY_A)).hasSize(1);

        DeletedConversation deleted = conversations.delete("s-1", KEY_A);

        assertThat(deleted.deletedMessages()).isEqualTo(2);
        assertThat(deleted.deletedThreads()).isEqualTo(1);
        assertThat(deleted.deletedFeedback()).isEqualTo(1);
        assertThat(history.latest("s-1", 10)).isEmpty();
        assertThat(history.latest(thread.threadSessionId(), 10)).isEmpty();
        assertThat(db().count(CONVERSATION_THREADS, eq("parent_session_id", "s-1"))).isZero();
        assertThat(feedback.ofSession("s-2", KEY_A)).hasSize(1);
    }
}
