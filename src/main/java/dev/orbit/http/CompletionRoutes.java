package dev.orbit.http;

import static dev.orbit.http.Json.object;

import dev.orbit.inference.Completion;
import dev.orbit.inference.InferenceException;
import dev.orbit.inference.InferenceTimeoutException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/chat/completions}: the OpenAI-compatible shape over the same turn as {@code /v1/chat}, as
 * one {@code chat.completion} or (streamed) {@code chat.completion.chunk} events ending with {@code [DONE]}.
 * A streamed failure is an {@code {"error": {...}}} event and no {@code [DONE]}, so SDKs raise it.
 */
final class CompletionRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(CompletionRoutes.class);

    private final ChatPipeline pipeline;
    private final JsonBodies bodies;
    private final Clock clock;
    private final ChatAudit audit;

    CompletionRoutes(ChatPipeline pipeline, JsonBodies bodies, Clock clock, ChatAudit audit) {
        this.pipeline = pipeline;
        this.bodies = bodies;
        this.clock = clock;
        this.audit = audit;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/chat/completions", this::complete);
    }

    private void complete(Context ctx) {
        ChatPipeline.Turn turn = pipeline.prepare(ctx, () -> ChatRequest.parse(bodies.read(ctx)), true);
        String id = "chatcmpl-" + randomHex();
        long created = clock.instant().getEpochSecond();
        if (turn.request().stream()) {
            stream(ctx, turn, id, created);
            return;
        }
        Completion completion = pipeline.completeAndStore(turn, audit, ChatAudit.COMPLETIONS).completion();
        ctx.json(object("id", id, "object", "chat.completion", "created", created, "model", turn.adapter().model(),
                "choices", List.of(object("index", 0, "message", object("role", "assistant", "content", completion.text()),
                        "finish_reason", "stop")),
                "usage", object("prompt_tokens", completion.usage().promptTokens(),
                        "completion_tokens", completion.usage().completionTokens(),
                        "total_tokens", completion.usage().totalTokens())));
    }

    private void stream(Context ctx, ChatPipeline.Turn turn, String id, long created) {
        EventStream events = EventStream.open(ctx);
        String model = turn.adapter().model();
        Completion completion;
        try {
            completion = pipeline.stream(turn,
                    () -> events.send(chunk(id, created, model, object("role", "assistant", "content", ""), null)),
                    events.sink(piece -> chunk(id, created, model, object("content", piece), null)));
        } catch (InferenceException e) {
            ChatPipeline.logProviderFailure(turn, e);
            audit.failed(turn, e, ChatAudit.COMPLETIONS);
            boolean timeout = e instanceof InferenceTimeoutException;
            events.send(OpenAiErrors.event(timeout ? 504 : 502, timeout ? ChatRoutes.PROVIDER_TIMED_OUT
                    : ChatRoutes.PROVIDER_FAILED));
            return;
        }
        if (completion.cancelled()) {
            audit.completed(turn, completion, ChatAudit.COMPLETIONS);
            return;
        }
        try {
            pipeline.store(turn, completion);
        } catch (RuntimeException e) {
            LOG.error("request {}: storing the streamed turn failed", turn.requestId(), e);
            audit.notStored(turn, completion, ChatAudit.COMPLETIONS);
            events.send(OpenAiErrors.event(500, ChatRoutes.NOT_STORED));
            return;
        }
        audit.completed(turn, completion, ChatAudit.COMPLETIONS);
        events.send(chunk(id, created, model, Map.of(), "stop"));
        events.sendRaw("[DONE]");
    }

    private static Map<String, Object> chunk(String id, long created, String model, Map<String, Object> delta,
                                             String finishReason) {
        return object("id", id, "object", "chat.completion.chunk", "created", created, "model", model,
                "choices", List.of(object("index", 0, "delta", delta, "finish_reason", finishReason)));
    }

    private static String randomHex() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return String.format("%016x%08x", random.nextLong(), random.nextInt());
    }
}
