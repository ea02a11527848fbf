package dev.orbit.http;

import static dev.orbit.http.Json.iso;
import static dev.orbit.http.Json.object;

import dev.orbit.service.ConversationService;
import dev.orbit.service.DeletedConversation;
import dev.orbit.service.ServiceException;
import dev.orbit.service.ValidatedApiKey;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * What a chat client does to a conversation besides chatting: delete it ({@code DELETE /admin/conversations/{id}},
 * the owner key only) and stop its turn in flight ({@code POST /v1/chat/stop}, see {@link RunningTurns}).
 */
final class ConversationRoutes {
    private final ConversationService conversations;
    private final RunningTurns running;
    private final ClientKeys keys;
    private final JsonBodies bodies;
    private final String sessionHeader;

    ConversationRoutes(ConversationService conversations, RunningTurns running, ClientKeys keys, JsonBodies bodies,
                       String sessionHeader) {
        this.conversations = conversations;
        this.running = running;
        this.keys = keys;
        this.bodies = bodies;
        this.sessionHeader = sessionHeader;
    }

    void register(RoutesConfig routes) {
        routes.delete("/admin/conversations/{session_id}", this::delete);
        routes.post("/v1/chat/stop", this::stop);
    }

    /**
     * Deletes the conversation. {@code ?file_ids=} names uploaded files to delete with it; this gateway stores no
     * files, so none are deleted and none fail.
     */
    private void delete(Context ctx) {
        ValidatedApiKey key = keys.headerKey(ctx);
        String sessionId = ctx.pathParam("session_id");
        String named = Headers.text(ctx, sessionHeader);
        if (named != null && !named.isEmpty() && !named.equals(sessionId)) {
            throw new ServiceException.InvalidInput(sessionHeader + " header does not match the session in the path");
        }
        DeletedConversation deleted = conversations.delete(sessionId, key.fingerprint());
        ctx.json(object("status", "success", "message", "Conversation deleted", "session_id", deleted.sessionId(),
                "deleted_messages", deleted.deletedMessages(), "deleted_files", 0, "file_deletion_errors", null,
                "timestamp", iso(deleted.timestamp())));
    }

    private void stop(Context ctx) {
        ValidatedApiKey key = keys.headerOrBearerKey(ctx);
        JsonBody body = bodies.read(ctx);
        String sessionId = body.requiredString("session_id");
        String requestId = body.requiredString("request_id");
        boolean stopped = running.stop(sessionId, requestId, key.fingerprint().sha256());
        ctx.json(object("status", stopped ? "cancelled" : "not_found",
                "message", stopped ? "The request was stopped" : "No running request with this session and request id",
                "session_id", sessionId, "request_id", requestId));
    }
}
