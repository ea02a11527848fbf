package dev.orbit.http;

import static dev.orbit.http.Json.object;

import dev.orbit.inference.Completion;
import dev.orbit.inference.InferenceException;
import dev.orbit.inference.InferenceTimeoutException;
import dev.orbit.service.ChatTurn;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
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
    private final ChatAudit audit;

    ChatRoutes(ChatPipeline pipeline, JsonBodies bodies, ChatAudit audit) {
        this.pipeline = pipeline;
        this.bodies = bodies;
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
        Completion completion;
        try {
            completion = pipeline.complete(turn);
        } catch (InferenceException e) {
            audit.failed(turn, e, ChatAudit.CHAT);
            throw e;
        }
        ChatTurn stored;
        try {
            stored = pipeline.store(turn, completion);
        } catch (RuntimeException e) {
            audit.notStored(turn, completion, ChatAudit.CHAT);
            throw e;
        }
        audit.completed(turn, completion, ChatAudit.CHAT);
        ctx.json(object("response", completion.text(), "sources", List.of(), "metadata", pipeline.metadata(turn),
                "assistant_message_id", stored == null ? null : stored.assistant().messageId()));
    }

    private void stream(Context ctx, ChatPipeline.Turn turn) {
        EventStream events = EventStream.open(ctx);
        events.send(object("request_id", turn.requestId()));
        Completion completion;
        try {
            completion = pipeline.stream(turn, piece -> events.send(object("response", piece, "done", false)));
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
        events.send(object("done", true, "assistant_message_id", stored == null ? null : stored.assistant().messageId()));
    }
}
