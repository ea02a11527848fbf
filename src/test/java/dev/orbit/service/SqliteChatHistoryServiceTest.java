package dev.orbit.service;

import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.OrbitSchema.CHAT_HISTORY;
import static dev.orbit.db.OrbitSchema.CHAT_SESSIONS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link ChatHistoryServiceTest} on SQLite. */
class SqliteChatHistoryServiceTest extends ChatHistoryServiceTest {
    @Override
    protected DatabaseService openDatabase(Path dir) {
        return TestDatabases.sqlite(dir);
    }

    /** Jobs of the group-commit writer (each waits for a commit): what a turn costs the single writer. */
    private long writerJobs() {
        return (long) db().meters().stream().filter(m -> m.name().equals("sqlite_writer_writes")).findFirst()
                .orElseThrow().value().getAsDouble();
    }

    @Test
    void a_turn_is_one_job_of_the_single_writer_with_its_touch_and_a_new_session_two() {
        chatTurn(history, "s-1");
        long before = writerJobs();
        chatTurn(history, "s-1");
        assertThat(writerJobs() - before).as("a busy session").isEqualTo(1);
        clock.advance(SessionOwners.TOUCH_INTERVAL);
        before = writerJobs();
        chatTurn(history, "s-1");
        assertThat(writerJobs() - before).as("with the touch due").isEqualTo(1);
        before = writerJobs();
        chatTurn(history, "s-2");
        assertThat(writerJobs() - before).as("a new session: its owner record before the model, then the turn")
                .isEqualTo(2);
    }

    /**
     * SQLite only: its atomic unit holds the write lock from the owner check to the commit, so the check cannot be
     * overtaken (on PostgreSQL and MongoDB a clear committing between the check and the insert can still let one
     * turn in, README "Chat history").
     */
    @Test
    void turns_racing_with_clearing_and_another_keys_takeover_never_land_in_the_other_keys_session() throws Exception {
        // One handle: the writers queue behind each other and the clear on one group-commit writer (handles of
        // their own would wait for the file lock in SQLite's busy handler instead, pinning their carrier threads).
        List<ChatHistoryService> services = List.of(history, history, history, history);
        String session = "contested";
        ApiKeyFingerprint owner = KEY_A;
        ApiKeyFingerprint other = KEY_B;
        history.addTurn(session, owner, null, NewMessage.user("first"), NewMessage.assistant("first"), null);
        for (int round = 0; round < 30; round++) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger stored = new AtomicInteger();
            ApiKeyFingerprint writing = owner;
            List<Thread> writers = new ArrayList<>();
            for (ChatHistoryService service : services) {
                writers.add(Thread.ofVirtual().start(() -> {
                    while (!stop.get()) {
                        try {
                            TurnHistory read = service.forTurn(session, writing, null, 1_000, 10, null);
                            service.addTurn(session, writing, null, NewMessage.user("q"), NewMessage.assistant("a"),
                                    null, read.end());
                            stored.incrementAndGet();
                        } catch (ServiceException.Forbidden | ServiceException.Conflict refused) {
                            // the session was taken, or is changing: what the race is about
                        }
                    }
                }));
            }
            waitFor(() -> stored.get() > 2 || writers.stream().noneMatch(Thread::isAlive));
            history.clear(session, writing);
            try {
                history.addTurn(session, other, null, NewMessage.user("mine now"), NewMessage.assistant("yes"), null);
                owner = other;
                other = writing;
            } catch (ServiceException.Forbidden refused) {
                // a turn of the writers was stored between the clear's delete and its release: still theirs
            }
            stop.set(true);
            for (Thread writer : writers) {
                writer.join();
            }
            Optional<Document> marker = db().findOne(CHAT_SESSIONS, eq("session_id", session));
            List<String> keys = db().findMany(CHAT_HISTORY, eq("session_id", session)).stream()
                    .map(d -> d.getString("api_key_hash")).distinct().toList();
            assertThat(keys).as("round " + round + ": the keys of the session's messages").hasSizeLessThanOrEqualTo(1);
            if (marker.isPresent() && !keys.isEmpty()) {
                assertThat(keys.getFirst()).as("round " + round).isEqualTo(marker.get().getString("api_key_hash"));
            }
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }
}
