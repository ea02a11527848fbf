package dev.orbit.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT as a request to stop, like {@code POST /admin/shutdown}, instead of the JVM's default of
 * exiting at once with status 143 or 130, which systemd counts as a failure although the stop was clean. The
 * first signal starts {@code stop}; a second one while it runs exits at once with the signal's status (a
 * second Ctrl-C means "now"). Closing restores the handlers there were before.
 */
final class StopSignals implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    private static final List<String> SIGNALS = List.of("TERM", "INT");

    private final List<Runnable> restore = new ArrayList<>();

    private StopSignals() {
    }

    /** Handles SIGTERM and SIGINT by running {@code stop} on a thread of its own. */
    static StopSignals install(Runnable stop) {
        StopSignals signals = new StopSignals();
        AtomicBoolean stopping = new AtomicBoolean();
        SignalHandler handler = signal -> {
            if (stopping.compareAndSet(false, true)) {
                LOG.info("SIG{} received: stopping", signal.getName());
                Thread.ofPlatform().name("orbit-stop").start(stop);
            } else {
                LOG.warn("SIG{} received again: exiting without waiting for the stop to finish", signal.getName());
                System.exit(128 + signal.getNumber());
            }
        };
        for (String name : SIGNALS) {
            Signal signal = new Signal(name);
            try {
                SignalHandler previous = Signal.handle(signal, handler);
                signals.restore.add(() -> Signal.handle(signal, previous));
            } catch (IllegalArgumentException e) {
                // The JVM does not let this signal be handled (-Xrs): its default stays, the shutdown hook closes.
            }
        }
        return signals;
    }

    @Override
    public void close() {
        restore.forEach(Runnable::run);
    }
}
