package dev.orbit.http;

import static dev.orbit.http.Json.iso;
import static dev.orbit.http.Json.object;

import dev.orbit.service.DeletedConversation;
import dev.orbit.service.SessionDirectory;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/**
 * {@code /admin/sessions}: conversations across keys and users for administrators (session token or the console
 * cookie, never an API key): find sessions ({@code conversations.read}), read the votes on one
 * ({@code feedback.read}), delete one ({@code conversations.manage}, which only {@code admin} holds). A session's
 * messages are read with {@code GET /admin/chat-history/{session_id}}.
 */
final class SessionRoutes {
    static final String READ = "conversations.read";
    static final String FEEDBACK_READ = "feedback.read";
    static final String MANAGE = "conversations.manage";

    private final SessionDirectory directory;
    private final Access access;

    SessionRoutes(SessionDirectory directory, Access access) {
        this.directory = directory;
        this.access = access;
    }

    void register(RoutesConfig routes) {
        routes.get("/admin/sessions", this::find);
        routes.get("/admin/sessions/{session_id}/feedback", this::feedback);
        routes.delete("/admin/sessions/{session_id}", this::delete);
    }

    private void find(Context ctx) {
        access.permitted(ctx, READ);
        int limit = QueryParams.integer(ctx, "limit", 50);
        int offset = QueryParams.integer(ctx, "offset", 0);
        SessionDirectory.Page page = directory.find(new SessionDirectory.Query(AuditRoutes.blankless(ctx, "api_key"),
                AuditRoutes.blankless(ctx, "user_id"), AuditRoutes.time(ctx, "since"), AuditRoutes.time(ctx, "until")),
                limit, offset);
        ctx.json(object("sessions", page.sessions().stream().map(SessionRoutes::session).toList(),
                "total", page.total(), "limit", Math.max(1, Math.min(limit, SessionDirectory.MAX_PAGE)),
                "offset", Math.max(0, offset)));
    }

    private void feedback(Context ctx) {
        access.permitted(ctx, FEEDBACK_READ);
        String sessionId = ctx.pathParam("session_id");
        ctx.json(object("session_id", sessionId, "feedbacks", directory.feedback(sessionId).stream()
                .map(f -> object("message_id", f.messageId(), "feedback_type", f.feedbackType(),
                        "comment", f.comment())).toList()));
    }

    private void delete(Context ctx) {
        access.permitted(ctx, MANAGE);
        DeletedConversation deleted = directory.delete(ctx.pathParam("session_id"));
        ctx.json(object("status", "success", "message", "Conversation deleted", "session_id", deleted.sessionId(),
                "deleted_messages", deleted.deletedMessages(), "timestamp", iso(deleted.timestamp())));
    }

    private static Map<String, Object> session(SessionDirectory.Found found) {
        return object("session_id", found.summary().sessionId(), "user_id", found.userId(),
                "created_at", iso(found.summary().createdAt()), "last_activity", iso(found.summary().lastActivity()),
                "message_count", found.summary().messageCount(),
                "api_key", found.key().map(k -> object("id", k.id(), "masked", k.maskedKey(),
                        "client_name", k.clientName(), "adapter_name", k.adapterName())).orElse(null));
    }
}
