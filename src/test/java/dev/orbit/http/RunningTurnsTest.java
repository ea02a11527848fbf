package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.inference.Completion;
import dev.orbit.inference.InferenceFailedException;
import dev.orbit.inference.RecordingSink;
import dev.orbit.inference.StreamSink;
import dev.orbit.inference.Usage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RunningTurnsTest {
    private static final String OWNER = "a".repeat(64);
    private static final Completion DONE = Completion.complete("reply", new Usage(1, 1, false));
    private final RunningTurns turns = new RunningTurns();

    @Test
    void aStopBeforeTheCallEndsWinsAndNoPieceIsPassedOnAfterIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> passed = new CopyOnWriteArrayList<>();
        try (RunningTurns.Running turn = turns.start("s", "r", OWNER)) {
            var sink = turn.guard(piece -> passed.add(piece));
            CompletableFuture<Completion> result = CompletableFuture.supplyAsync(() -> turns.run(turn, () -> {
                sink.onDelta("one");
                awaitQuietly(release);
                return sink.onDelta("two") ? DONE : Completion.cancelled("one", DONE.usage());
            }));
            while (passed.isEmpty()) {
                Thread.onSpinWait();
            }

            assertThat(turns.stop("s", "r", "b".repeat(64))).as("another key").isFalse();
            assertThat(turns.stop("s", "other", OWNER)).isFalse();
            assertThat(turns.stop("s", "r", OWNER)).isTrue();
            assertThat(result.get(5, TimeUnit.SECONDS).cancelled()).isTrue();
            release.countDown();
        }
        Thread.sleep(50);
        assertThat(passed).containsExactly("one");
        assertThat(turns.stop("s", "r", OWNER)).as("unregistered once closed").isFalse();
    }

    @Test
    void heldPiecesAndFlushesPassWhileTheTurnRunsAndNeitherAfterItsStop() {
        RecordingSink recording = new RecordingSink("one");
        try (RunningTurns.Running turn = turns.start("s", "r", OWNER)) {
            StreamSink sink = turn.guard(recording);
            assertThat(sink.onBufferedDelta("one")).isTrue();
            sink.flush();
            assertThat(turns.stop("s", "r", OWNER)).isTrue();
            // The provider's thread goes on after a stop; by then the reply may serve the connection's next request.
            assertThat(sink.onBufferedDelta("two")).isFalse();
            sink.flush();
        }
        assertThat(recording.calls()).containsExactly("held one", "flush");
    }

    @Test
    void anotherKeysTurnWithTheSameIdsDoesNotTakeTheRegistrationOfTheFirst() {
        // Request ids come from clients (X-Request-ID) and sessionless turns share the empty session.
        try (RunningTurns.Running mine = turns.start(null, "r", OWNER);
             RunningTurns.Running theirs = turns.start(null, "r", "b".repeat(64))) {
            assertThat(turns.stop(null, "r", OWNER)).as("the first key can still stop its turn").isTrue();
            assertThat(turns.stop(null, "r", "b".repeat(64))).isTrue();
        }
    }

    @Test
    void aFinishedTurnCannotBeStoppedAndAFailureIsTheTurnsOutcome() {
        try (RunningTurns.Running turn = turns.start("s", "r", OWNER)) {
            assertThat(turns.run(turn, () -> DONE)).isEqualTo(DONE);
            assertThat(turns.stop("s", "r", OWNER)).isFalse();
        }
        try (RunningTurns.Running turn = turns.start("s", "r2", OWNER)) {
            assertThatThrownBy(() -> turns.run(turn, () -> {
                throw new InferenceFailedException("provider down");
            })).isInstanceOf(InferenceFailedException.class).hasMessage("provider down");
            assertThat(turns.stop("s", "r2", OWNER)).isFalse();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
