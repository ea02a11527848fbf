package dev.orbit.http;

import static dev.orbit.http.Json.iso;
import static dev.orbit.http.Json.object;

import dev.orbit.service.ConversationThread;
import dev.orbit.service.ThreadService;
import dev.orbit.service.ValidatedApiKey;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/** {@code /api/threads}: follow-up threads branched from an assistant message ({@link ThreadService}). */
final class ThreadRoutes {
    private final ThreadService threads;
    private final ClientKeys keys;
    private final JsonBodies bodies;

    ThreadRoutes(ThreadService threads, ClientKeys keys, JsonBodies bodies) {
        this.threads = threads;
        this.keys = keys;
        this.bodies = bodies;
    }

    void register(RoutesConfig routes) {
        routes.post("/api/threads", this::create);
        routes.get("/api/threads/{thread_id}", this::get);
        routes.delete("/api/threads/{thread_id}", this::delete);
    }

    private void create(Context ctx) {
        ValidatedApiKey key = keys.headerOrBearerKey(ctx);
        JsonBody body = bodies.read(ctx);
        ConversationThread thread = threads.create(body.requiredString("session_id"), body.requiredString("message_id"),
                key.fingerprint(), key.key().adapterName(), ChatPipeline.userIdHeader(ctx));
        ctx.json(summary(thread));
    }

    private void get(Context ctx) {
        ValidatedApiKey key = keys.headerOrBearerKey(ctx);
        ConversationThread thread = threads.get(ctx.pathParam("thread_id"), key.fingerprint());
        Map<String, Object> out = summary(thread);
        out.put("query_context", thread.queryContext());
        out.put("dataset_key", thread.datasetKey());
        ctx.json(out);
    }

    private void delete(Context ctx) {
        ValidatedApiKey key = keys.headerOrBearerKey(ctx);
        ConversationThread thread = threads.delete(ctx.pathParam("thread_id"), key.fingerprint());
        ctx.json(object("status", "success", "message", "Thread deleted", "thread_id", thread.threadId()));
    }

    private static Map<String, Object> summary(ConversationThread t) {
        return object("thread_id", t.threadId(), "thread_session_id", t.threadSessionId(),
                "parent_message_id", t.parentMessageId(), "parent_session_id", t.parentSessionId(),
                "adapter_name", t.adapterName(), "created_at", iso(t.createdAt()), "expires_at", iso(t.expiresAt()));
    }
}
