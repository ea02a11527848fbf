package dev.orbit.http;

import dev.orbit.inference.Completion;
import dev.orbit.inference.StreamSink;
import dev.orbit.inference.Usage;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The chat turns this process is running, by session and request id, so that {@code POST /v1/chat/stop} can
 * stop one: the turn's request returns at once as stopped (a stream ends without its {@code done} event, a JSON
 * reply is a 409) and stores nothing, as when the client goes away. The provider call is left to end on its own
 * (a stream stops at its next piece; a call that sends nothing ends at its timeout) on a thread of its own.
 *
 * <p>Only the API key that started a turn can stop it (by SHA-256 fingerprint); for anyone else it is
 * {@code not_found}, so a stop reveals nothing about other keys' requests. The registry is per process: a stop
 * that reaches another gateway process than the one running the turn answers {@code not_found} and the turn runs
 * on (route a session's requests to one process, e.g. by {@code X-Session-ID}, when several serve).
 */
final class RunningTurns {
    private static final Logger LOG = LoggerFactory.getLogger(RunningTurns.class);
    private static final Usage NOTHING = new Usage(0, 0, true);

    private final ConcurrentHashMap<TurnId, Running> running = new ConcurrentHashMap<>();
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();

    /** The owner is part of the id: a turn of one key never takes the place of another key's turn. */
    private record TurnId(String ownerSha256, String sessionId, String requestId) {
    }

    /** One registered turn; closing it unregisters it. */
    final class Running implements AutoCloseable {
        private static final int RUNNING = 0;
        private static final int FINISHED = 1;
        private static final int STOPPED = 2;

        private final TurnId id;
        // Finishing and stopping race for this state: whichever sets it first decides, so a stop answered
        // "cancelled" always means nothing was stored, and a finished turn is never reported as stopped.
        private final AtomicInteger state = new AtomicInteger(RUNNING);
        private final CompletableFuture<Void> stopped = new CompletableFuture<>();
        // A lock, not synchronized: the write under it blocks on the socket, which must not pin a virtual thread.
        private final ReentrantLock writing = new ReentrantLock();

        private Running(TurnId id) {
            this.id = id;
        }

        /**
         * A sink that passes pieces on until the turn is stopped, and none after: the stop waits for a write. Nor does
         * it flush after the stop: the provider goes on on its own thread while the route returns and its reply
         * ends, and the reply's stream may already serve the connection's next request. (Pieces held back before the
         * stop still go out, when the reply ends: they were passed on before it.)
         */
        StreamSink guard(StreamSink sink) {
            return new StreamSink() {
                @Override
                public boolean onDelta(String delta) {
                    return whileRunning(() -> sink.onDelta(delta));
                }

                @Override
                public boolean onBufferedDelta(String delta) {
                    return whileRunning(() -> sink.onBufferedDelta(delta));
                }

                @Override
                public void flush() {
                    whileRunning(() -> {
                        sink.flush();
                        return true;
                    });
                }
            };
        }

        private boolean whileRunning(BooleanSupplier write) {
            writing.lock();
            try {
                return state.get() == RUNNING && write.getAsBoolean();
            } finally {
                writing.unlock();
            }
        }

        private boolean stop() {
            writing.lock();
            try {
                if (!state.compareAndSet(RUNNING, STOPPED)) {
                    return false;
                }
                stopped.complete(null);
                return true;
            } finally {
                writing.unlock();
            }
        }

        private boolean finish() {
            return state.compareAndSet(RUNNING, FINISHED);
        }

        @Override
        public void close() {
            running.remove(id, this);
        }
    }

    /**
     * Registers a turn; a later turn of the same key with the same session and request id takes the place of an
     * earlier one (another key's turn never does).
     */
    Running start(String sessionId, String requestId, String ownerSha256) {
        Running turn = new Running(new TurnId(Objects.requireNonNull(ownerSha256, "ownerSha256"),
                Objects.toString(sessionId, ""), requestId));
        running.put(turn.id, turn);
        return turn;
    }

    /**
     * Runs the provider call on a thread of its own and returns its completion, or a cancelled one as soon as the
     * turn is stopped. Failures of the call propagate unchanged.
     */
    Completion run(Running turn, Supplier<Completion> call) {
        Map<String, String> logContext = MDC.getCopyOfContextMap(); // the request id, for the provider's log lines
        CompletableFuture<Completion> result = CompletableFuture.supplyAsync(() -> {
            if (logContext != null) {
                MDC.setContextMap(logContext);
            }
            return call.get();
        }, calls);
        try {
            CompletableFuture.anyOf(result, turn.stopped).join();
        } catch (CompletionException e) {
            // The call failed before any stop: the failure is the turn's outcome.
            if (turn.finish()) {
                throw unwrap(e);
            }
        }
        if (turn.finish()) {
            return result.join(); // done: the stop did not win, so the call is what ended the wait
        }
        result.whenComplete((done, failure) -> {
            if (failure != null) {
                LOG.debug("a stopped turn's provider call ended with {}", failure.toString());
            }
        });
        return Completion.cancelled("", NOTHING);
    }

    /**
     * Stops the turn if this key runs it here and it has not finished; false when there is no such turn (or another
     * key's), or it finished first.
     */
    boolean stop(String sessionId, String requestId, String ownerSha256) {
        Running turn = running.get(new TurnId(ownerSha256, Objects.toString(sessionId, ""), requestId));
        return turn != null && turn.stop();
    }

    private static RuntimeException unwrap(CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return e;
    }
}
