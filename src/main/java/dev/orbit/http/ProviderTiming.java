package dev.orbit.http;

import dev.orbit.inference.Completion;
import dev.orbit.inference.InferenceTimeoutException;
import dev.orbit.observability.Metrics;
import java.util.function.Supplier;

/** Times a turn's provider call, streamed or not, into the adapter meters, with how it ended. */
final class ProviderTiming {
    private final Metrics metrics;

    ProviderTiming(Metrics metrics) {
        this.metrics = metrics;
    }

    Supplier<Completion> timed(ChatPipeline.Turn turn, Supplier<Completion> call) {
        if (!metrics.enabled()) {
            return call;
        }
        return () -> {
            long start = System.nanoTime();
            String status = "error";
            try {
                Completion completion = call.get();
                status = completion.cancelled() ? "cancelled" : "success";
                return completion;
            } catch (InferenceTimeoutException e) {
                status = "timeout";
                throw e;
            } finally {
                metrics.providerCall(turn.adapter().name(), turn.adapter().model(), turn.adapter().providerName(),
                        status, System.nanoTime() - start);
            }
        };
    }
}
