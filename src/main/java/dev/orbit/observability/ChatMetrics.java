package dev.orbit.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Chat turns and the provider calls behind them:
 * {@code orbit_chat_turns_total{adapter,model,provider,outcome}}, {@code orbit_chat_tokens_total{adapter,model,
 * provider,direction}} ({@code input}, {@code output}), and the contract's adapter families, fed here:
 * {@code orbit_adapter_requests_total{adapter,provider,model,status}} and
 * {@code orbit_adapter_latency_seconds{adapter,provider,model}} (a histogram of provider calls, failed ones too).
 * Labels come from the configured adapters only, so their number is bounded by the configuration.
 */
public final class ChatMetrics {
    private record TurnKey(String adapter, String model, String provider, String outcome) {
    }

    private record Route(String adapter, String model, String provider) {
    }

    private record Tokens(Counter input, Counter output) {
    }

    private record CallKey(Route route, String status) {
    }

    private final MeterRegistry registry;
    private final Map<TurnKey, Counter> turns = new ConcurrentHashMap<>();
    private final Map<Route, Tokens> tokens = new ConcurrentHashMap<>();
    private final Map<Route, Timer> latency = new ConcurrentHashMap<>();
    private final Map<CallKey, Counter> calls = new ConcurrentHashMap<>();

    ChatMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A chat turn ended with {@code outcome} (success, provider_error, timeout, cancelled, store_failed). */
    public void turn(String adapter, String model, String provider, String outcome, long inputTokens,
                     long outputTokens) {
        model = label(model);
        turns.computeIfAbsent(new TurnKey(adapter, model, provider, outcome), key -> Counter.builder("orbit.chat.turns")
                .description("chat turns, by adapter, model, provider and how they ended")
                .tags("adapter", key.adapter, "model", key.model, "provider", key.provider, "outcome", key.outcome)
                .register(registry)).increment();
        if (inputTokens > 0 || outputTokens > 0) {
            Tokens counters = tokens.computeIfAbsent(new Route(adapter, model, provider), route -> new Tokens(
                    tokenCounter(route, "input"), tokenCounter(route, "output")));
            counters.input.increment(inputTokens);
            counters.output.increment(outputTokens);
        }
    }

    /** A provider call took {@code nanos} and ended with {@code status} (success, error, timeout, cancelled). */
    public void providerCall(String adapter, String model, String provider, String status, long nanos) {
        Route route = new Route(adapter, label(model), provider);
        latency.computeIfAbsent(route, key -> Timer.builder("orbit.adapter.latency")
                        .description("provider call latency per adapter (whole reply, streamed or not)")
                        .tags("adapter", key.adapter, "model", key.model, "provider", key.provider)
                        .serviceLevelObjectives(Buckets.REQUEST)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
        calls.computeIfAbsent(new CallKey(route, status), key -> Counter.builder("orbit.adapter.requests")
                .description("provider calls per adapter, by how they ended")
                .tags("adapter", key.route.adapter, "model", key.route.model, "provider", key.route.provider,
                        "status", key.status)
                .register(registry)).increment();
    }

    // An adapter without a model of its own uses the provider's default: an empty label, as Prometheus reads a missing one.
    private static String label(String value) {
        return value == null ? "" : value;
    }

    private Counter tokenCounter(Route route, String direction) {
        return Counter.builder("orbit.chat.tokens")
                .description("tokens sent to (input) and received from (output) providers")
                .tags("adapter", route.adapter, "model", route.model, "provider", route.provider,
                        "direction", direction)
                .register(registry);
    }
}
