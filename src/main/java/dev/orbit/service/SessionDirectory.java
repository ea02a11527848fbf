package dev.orbit.service;

import static dev.orbit.db.Filters.and;
import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.Filters.gte;
import static dev.orbit.db.Filters.lt;
import static dev.orbit.db.OrbitSchema.CHAT_HISTORY;
import static dev.orbit.db.OrbitSchema.CHAT_SESSIONS;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.Filter;
import dev.orbit.db.FindOptions;
import dev.orbit.db.Sort;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Conversations as an administrator sees them, across API keys and users: finding sessions by key, user and
 * time, reading the votes on one, and deleting one whichever key owns it. Reads the session owner records that
 * {@link ChatHistoryService} keeps, so only sessions written since those exist are found.
 */
public final class SessionDirectory {
    public static final int MAX_PAGE = 100;
    private static final Sort NEWEST_FIRST = Sort.descending("last_activity", "created_at")
            .then(Sort.ascending("session_id"));

    private final DatabaseService db;
    private final ApiKeyService apiKeys;
    private final ConversationService conversations;
    private final FeedbackService feedback;

    public SessionDirectory(DatabaseService db, ApiKeyService apiKeys, ConversationService conversations,
                            FeedbackService feedback) {
        this.db = Objects.requireNonNull(db, "db");
        this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
        this.conversations = Objects.requireNonNull(conversations, "conversations");
        this.feedback = Objects.requireNonNull(feedback, "feedback");
    }

    /**
     * Which sessions to find; every part is optional. {@code apiKey} is a key's record id or the key (404 if
     * there is none); a session matches the time range when it was active in it (last written at or after
     * {@code since}, started before {@code until}).
     */
    public record Query(String apiKey, String userId, Instant since, Instant until) {
    }

    /** A found session, with the key that owns it when that key still exists. */
    public record Found(SessionSummary summary, String userId, Optional<ApiKey> key) {
    }

    /** One page of sessions, most recently active first, and how many match in all. */
    public record Page(List<Found> sessions, long total) {
    }

    public Page find(Query query, int limit, int offset) {
        Paging page = Paging.clamp(limit, offset, MAX_PAGE);
        Filter filter = filter(query);
        List<Found> out = new ArrayList<>();
        Map<String, Optional<ApiKey>> keys = new HashMap<>(); // a page is mostly a few keys' sessions
        for (Document marker : db.findMany(CHAT_SESSIONS, filter,
                FindOptions.sortedBy(NEWEST_FIRST).skip(page.offset()).limit(page.limit()))) {
            String sessionId = marker.getString("session_id");
            out.add(new Found(new SessionSummary(sessionId, marker.getInstant("created_at"),
                    marker.getInstant("last_activity"), db.count(CHAT_HISTORY, eq("session_id", sessionId))),
                    marker.getString("user_id"),
                    keys.computeIfAbsent(marker.getString("api_key_hash"), apiKeys::byHistoryFingerprint)));
        }
        return new Page(out, db.count(CHAT_SESSIONS, filter));
    }

    /** The votes on a session's messages, oldest first, whichever key owns it. */
    public List<Feedback> feedback(String sessionId) {
        return feedback.votes(ChatHistoryService.checkSessionId(sessionId));
    }

    /**
     * Deletes a conversation as its owning key would ({@link ConversationService#delete}: messages, threads,
     * votes); 404 when the session has no messages and no owner.
     */
    public DeletedConversation delete(String sessionId) {
        String id = ChatHistoryService.checkSessionId(sessionId);
        String owner = db.findOne(CHAT_SESSIONS, eq("session_id", id)).map(d -> d.getString("api_key_hash"))
                .or(() -> db.findOne(CHAT_HISTORY, eq("session_id", id)).map(d -> d.getString("api_key_hash")))
                .orElseThrow(() -> new ServiceException.NotFound("Conversation not found"));
        return conversations.delete(id, new ApiKeyFingerprint(owner, "(admin)"));
    }

    private Filter filter(Query query) {
        List<Filter> parts = new ArrayList<>();
        if (query.apiKey() != null) {
            parts.add(eq("api_key_hash", apiKeys.historyFingerprint(query.apiKey())));
        }
        if (query.userId() != null) {
            parts.add(eq("user_id", query.userId()));
        }
        if (query.since() != null) {
            parts.add(gte("last_activity", query.since()));
        }
        if (query.until() != null) {
            parts.add(lt("created_at", query.until()));
        }
        return and(parts);
    }
}
