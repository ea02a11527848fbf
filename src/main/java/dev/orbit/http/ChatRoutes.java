package dev.orbit.http;

import static dev.orbit.http.Json.object;

import dev.orbit.inference.Completion;
import dev.orbit.inference.InferenceException;
import dev.orbit.inference.InferenceTimeoutException;
import dev.orbit.service.ChatTurn;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/chat}: ORBIT's own chat API, as JSON or (with {@code "stream": true}) server-sent events:
 * first {@code {"request_id"}}, then {@code {"response": <piece>, "done": false}} per piece, then
 * {@code {"done": true, "assistant_message_id"}} once the turn is stored, or {@code {"error", "done": true}}.
 */
final class ChatRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ChatRoutes.class);
    static final String PROVIDER_FAILED = "The inference provider failed to answer";
    static final String PROVIDER_TIMED_OUT = "The inference provider did not answer in time";
    static final String NOT_STORED = "The reply could not be stored";

    private final ChatPipeline pipeline;
    private final JsonBodies bodies;
    private final Predicate<String> threading;
    private final ChatAudit audit;

    /** {@code threading} says which adapters offer follow-up threads (their replies tell the chat app so). */
    ChatRoutes(ChatPipeline pipeline, JsonBodies bodies, Predicate<String> threading, ChatAudit audit) {
        this.pipeline = pipeline;
        this.bodies = bodies;
        this.threading = threading;
        this.audit = audit;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/chat", this::chat);
    }

    private void chat(Context ctx) {
        ChatPipeline.Turn turn = pipeline.prepare(ctx, () -> ChatRequest.parse(bodies.read(ctx)));
        if (turn.request().stream()) {
            stream(ctx, turn);
            return;
        }
        ChatPipeline.Finished finished = pipeline.completeAndStore(turn, audit, ChatAudit.CHAT);
        ChatTurn stored = finished.stored();
        Map<String, Object> reply = object("response", finished.completion().text(), "sources", List.of(), "metadata",
                pipeline.metadata(turn), "assistant_message_id", stored == null ? null : stored.assistant().messageId());
        addThreading(reply, turn, stored);
        ctx.json(reply);
    }

    private void stream(Context ctx, ChatPipeline.Turn turn) {
        EventStream events = EventStream.open(ctx);
        Completion completion;
        try {
            completion = pipeline.stream(turn, () -> events.send(object("request_id", turn.requestId())),
                    events.sink(piece -> object("response", piece, "done", false)));
        } catch (InferenceException e) {
            ChatPipeline.logProviderFailure(turn, e);
            audit.failed(turn, e, ChatAudit.CHAT);
            events.send(object("error", e instanceof InferenceTimeoutException ? PROVIDER_TIMED_OUT : PROVIDER_FAILED,
                    "done", true));
            return;
        }
        if (completion.cancelled()) {
            audit.completed(turn, completion, ChatAudit.CHAT);
            return; // the client left before the end: not an acknowledged turn, nothing stored
        }
        ChatTurn stored;
        try {
            stored = pipeline.store(turn, completion);
        } catch (RuntimeException e) {
            LOG.error("request {}: storing the streamed turn failed", turn.requestId(), e);
            audit.notStored(turn, completion, ChatAudit.CHAT);
            events.send(object("error", NOT_STORED, "done", true));
            return;
        }
        audit.completed(turn, completion, ChatAudit.CHAT);
        Map<String, Object> done = object("done", true, "assistant_message_id",
                stored == null ? null : stored.assistant().messageId());
        addThreading(done, turn, stored);
        events.send(done);
    }

    /** What the reference chat app reads to offer "reply in thread" on a stored answer. */
    private void addThreading(Map<String, Object> reply, ChatPipeline.Turn turn, ChatTurn stored) {
        if (stored != null && threading.test(turn.adapter().name())) {
            reply.put("threading", object("supports_threading", true, "message_id", stored.assistant().messageId(),
                    "session_id", turn.sessionId()));
        }
    }
}
