package dev.orbit.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT as a request to stop, like {@code POST /admin/shutdown}, instead of the JVM's default of
 * exiting at once with status 143 or 130, which systemd counts as a failure although the stop was clean. The
 * first signal starts {@code stop}; a second one while it runs exits at once with the signal's status (a
 * second Ctrl-C means "now"). Closing restores the handlers there were before.
 *
 * <p>The JDK has no public API for signals, only {@code sun.misc.Signal} (module jdk.unsupported). It is
 * reached by reflection because javac warns about every mention of it and, before JDK 26, offers no way to
 * say the use is deliberate; a JVM without it keeps its default handling.
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
        SignalApi api;
        try {
            api = SignalApi.load();
        } catch (ReflectiveOperationException e) {
            LOG.warn("signals keep the JVM's default handling: {}", e.toString());
            return signals;
        }
        AtomicBoolean stopping = new AtomicBoolean();
        Object handler = api.handler((name, number) -> {
            if (stopping.compareAndSet(false, true)) {
                LOG.info("SIG{} received: stopping", name);
                Thread.ofPlatform().name("orbit-stop").start(stop);
            } else {
                LOG.warn("SIG{} received again: exiting without waiting for the stop to finish", name);
                System.exit(128 + number);
            }
        });
        for (String name : SIGNALS) {
            try {
                Object signal = api.signal(name);
                Object previous = api.handle(signal, handler);
                signals.restore.add(() -> api.handleQuietly(signal, previous));
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

    /** What a handler is told: the signal's name without "SIG" and its number. */
    private interface Received {
        void signal(String name, int number);
    }

    /** {@code sun.misc.Signal} and {@code sun.misc.SignalHandler}, looked up once. */
    private record SignalApi(Class<?> signalType, Class<?> handlerType, Method handle, Method getName,
                             Method getNumber) {
        static SignalApi load() throws ReflectiveOperationException {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            return new SignalApi(signalType, handlerType, signalType.getMethod("handle", signalType, handlerType),
                    signalType.getMethod("getName"), signalType.getMethod("getNumber"));
        }

        Object signal(String name) {
            try {
                return signalType.getConstructor(String.class).newInstance(name);
            } catch (InvocationTargetException e) {
                throw unwrapped(e);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Sets the handler of {@code signal}; returns the one before. */
        Object handle(Object signal, Object handler) {
            try {
                return handle.invoke(null, signal, handler);
            } catch (InvocationTargetException e) {
                throw unwrapped(e);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        void handleQuietly(Object signal, Object handler) {
            try {
                handle(signal, handler);
            } catch (RuntimeException e) {
                LOG.warn("could not restore the handler of {}: {}", signal, e.toString());
            }
        }

        /** A {@code SignalHandler} that passes each signal to {@code received}. */
        Object handler(Received received) {
            return Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            received.signal((String) getName.invoke(args[0]), (int) getNumber.invoke(args[0]));
                            yield null;
                        }
                        case "equals" -> proxy == args[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        default -> "orbit stop handler";
                    });
        }

        private static RuntimeException unwrapped(InvocationTargetException e) {
            return e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }
}
