package dev.orbit.http;

import static dev.orbit.http.Json.iso;
import static dev.orbit.http.Json.object;

import dev.orbit.service.ApiKeyService;
import dev.orbit.service.ChatHistoryService;
import dev.orbit.service.ChatMessage;
import dev.orbit.service.ClearedSession;
import dev.orbit.service.ServiceException;
import dev.orbit.service.SessionSummary;
import dev.orbit.service.ValidatedApiKey;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * {@code /admin/chat-history}: admins read a session and list a user's sessions ({@code conversations.read},
 * session token only); the API key that owns a session clears it.
 */
final class ChatHistoryRoutes {
    private static final String CONVERSATIONS_READ = "conversations.read";

    private final ChatHistoryService history;
    private final ApiKeyService apiKeys;
    private final Access access;
    private final String sessionHeader;

    ChatHistoryRoutes(ChatHistoryService history, ApiKeyService apiKeys, Access access, String sessionHeader) {
        this.history = history;
        this.apiKeys = apiKeys;
        this.access = access;
        this.sessionHeader = sessionHeader;
    }

    void register(RoutesConfig routes) {
        routes.get("/admin/chat-history", this::sessionsOfUser);
        routes.get("/admin/chat-history/{session_id}", this::session);
        routes.delete("/admin/chat-history/{session_id}", this::clear);
    }

    private void session(Context ctx) {
        access.permitted(ctx, CONVERSATIONS_READ);
        String sessionId = ctx.pathParam("session_id");
        List<ChatMessage> messages = history.latest(sessionId,
                QueryParams.integer(ctx, "limit", history.settings().defaultLimit()));
        ctx.json(object("session_id", sessionId, "messages", messages.stream().map(ChatHistoryRoutes::message).toList(),
                "count", messages.size()));
    }

    private void sessionsOfUser(Context ctx) {
        access.permitted(ctx, CONVERSATIONS_READ);
        String userId = QueryParams.required(ctx, "user_id");
        List<SessionSummary> sessions = history.sessionsOfUser(userId, QueryParams.integer(ctx, "limit", 100),
                QueryParams.integer(ctx, "offset", 0));
        ctx.json(object("user_id", userId, "sessions", sessions.stream().map(s -> object("session_id", s.sessionId(),
                "created_at", iso(s.createdAt()), "last_activity", iso(s.lastActivity()),
                "message_count", s.messageCount())).toList(), "count", sessions.size()));
    }

    private void clear(Context ctx) {
        ValidatedApiKey key = apiKeys.authenticate(access.apiKey(ctx), ctx.ip());
        String sessionId = ctx.pathParam("session_id");
        String named = Headers.text(ctx, sessionHeader);
        if (named != null && !named.isEmpty() && !named.equals(sessionId)) {
            throw new ServiceException.InvalidInput(sessionHeader + " header does not match the session in the path");
        }
        ClearedSession cleared = history.clear(sessionId, key.fingerprint());
        ctx.json(object("status", "success", "message", "Chat history cleared", "session_id", cleared.sessionId(),
                "deleted_count", cleared.deletedCount(), "timestamp", iso(cleared.timestamp())));
    }

    private static Map<String, Object> message(ChatMessage m) {
        Map<String, Object> out = object("message_id", m.messageId(), "role", m.role(), "content", m.content(),
                "timestamp", iso(m.timestamp()), "token_count", m.tokenCount());
        if (!m.metadata().isEmpty()) {
            out.put("metadata", m.metadata());
        }
        return out;
    }
}
