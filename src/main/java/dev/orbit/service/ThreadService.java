package dev.orbit.service;

import static dev.orbit.db.Filters.and;
import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.Filters.gt;
import static dev.orbit.db.Filters.lte;
import static dev.orbit.db.OrbitSchema.CONVERSATION_THREADS;

import dev.orbit.config.ClientsConfig;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.DuplicateKeyException;
import dev.orbit.db.IdUtils;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Conversation threads (the reference ORBIT's {@code conversation_threads}): a new session branched from an
 * assistant message, which starts with that turn (question and answer) as its history, so follow-up questions
 * are about it. The reference branches only turns that retrieved documents; here any chat turn branches.
 *
 * <p>A thread belongs to the API key that created it (SHA-256 on the row; another key gets 403) and expires
 * {@code ttl} after creation: an expired thread is not found even before the TTL index removes its row. One
 * message has at most one live thread per key, also when several gateways branch it at once (a unique key).
 */
public final class ThreadService {
    /** {@code conversation_threading.dataset_ttl_hours} of the reference, 24 by default. */
    public static final Duration DEFAULT_TTL = ClientsConfig.DEFAULT_THREAD_TTL;
    /** An expired holder of the key is removed between attempts, so a second failure means a busy race. */
    private static final int MAX_INSERT_ATTEMPTS = 3;

    private final DatabaseService db;
    private final ChatHistoryService history;
    private final Duration ttl;
    private final Clock clock;

    public ThreadService(DatabaseService db, ChatHistoryService history, Duration ttl, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.history = Objects.requireNonNull(history, "history");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a thread's time to live must be positive");
        }
    }

    /**
     * Branches a thread from an assistant message of the key's session (403 for another key's session, 404 for
     * no such message, 400 for a message that is not the assistant's). Branching the same message again while its
     * thread lives returns that thread.
     */
    public ConversationThread create(String sessionId, String messageId, ApiKeyFingerprint key, String adapterName,
                                     String userId) {
        ChatMessage answer = history.message(sessionId, messageId, key)
                .orElseThrow(() -> new ServiceException.NotFound("Message not found"));
        if (!"assistant".equals(answer.role())) {
            throw new ServiceException.InvalidInput("A thread starts from an assistant message");
        }
        Instant now = clock.instant();
        Optional<Document> live = db.findOne(CONVERSATION_THREADS, and(eq("parent_message_id", answer.messageId()),
                eq("parent_session_id", answer.sessionId()), eq("owner_api_key_hash", key.sha256()),
                gt("expires_at", now)));
        if (live.isPresent()) {
            return toThread(live.get());
        }
        String question = history.questionOf(answer, key).map(ChatMessage::content).orElse("");
        String threadSessionId = UUID.randomUUID().toString();
        history.addTurn(threadSessionId, key, userId, NewMessage.user(question).withMetadata(origin(answer)),
                NewMessage.assistant(answer.content()).withMetadata(origin(answer)), "thread-start");
        String parentOwnerKey = Secrets.sha256Hex(answer.sessionId() + "\n" + answer.messageId() + "\n" + key.sha256());
        Document row = Document.of("parent_message_id", answer.messageId(), "parent_session_id", answer.sessionId(),
                "thread_session_id", threadSessionId, "adapter_name", adapterName, "query_context", question,
                "dataset_key", "thread:" + threadSessionId, "created_at", now, "expires_at", now.plus(ttl),
                "owner_api_key_hash", key.sha256(), "parent_owner_key", parentOwnerKey);
        for (int attempt = 0; attempt < MAX_INSERT_ATTEMPTS; attempt++) {
            try {
                row.put("_id", db.insertOne(CONVERSATION_THREADS, row));
                return toThread(row);
            } catch (DuplicateKeyException e) {
                // Another gateway branched the same message for the same key meanwhile, or an expired thread
                // not yet swept holds the key.
                Optional<Document> holder = db.findOne(CONVERSATION_THREADS, eq("parent_owner_key", parentOwnerKey));
                if (holder.isPresent() && holder.get().getInstant("expires_at").isAfter(now)) {
                    history.clear(threadSessionId, key);
                    return toThread(holder.get());
                }
                holder.ifPresent(expired -> db.deleteOne(CONVERSATION_THREADS, and(eq("_id", expired.id()),
                        lte("expires_at", now))));
            }
        }
        history.clear(threadSessionId, key);
        throw new ServiceException.Conflict("Thread of message " + answer.messageId() + " is busy; try again");
    }

    /** The key's live thread; 404 when unknown or expired, 403 when another key's. */
    public ConversationThread get(String threadId, ApiKeyFingerprint key) {
        return toThread(owned(threadId, key));
    }

    /** Deletes the key's live thread and its session's messages; 404 when unknown or expired, 403 when another key's. */
    public ConversationThread delete(String threadId, ApiKeyFingerprint key) {
        Document row = owned(threadId, key);
        deleteThread(row, key);
        return toThread(row);
    }

    /** Deletes the threads branched from the session (its conversation is being deleted by its owner). */
    long deleteOfSession(String sessionId, ApiKeyFingerprint key) {
        List<Document> rows = db.findMany(CONVERSATION_THREADS, eq("parent_session_id", sessionId));
        for (Document row : rows) {
            deleteThread(row, key);
        }
        return rows.size();
    }

    private void deleteThread(Document row, ApiKeyFingerprint key) {
        // The thread session was written by the same key; one written by another key is left to its owner.
        String threadSession = row.getString("thread_session_id");
        if (key.sha256().equals(row.getString("owner_api_key_hash"))) {
            history.clear(threadSession, key);
        }
        db.deleteOne(CONVERSATION_THREADS, eq("_id", row.id()));
    }

    private Document owned(String threadId, ApiKeyFingerprint key) {
        Document row = IdUtils.ensureId(threadId).flatMap(id -> db.findOne(CONVERSATION_THREADS, eq("_id", id)))
                .filter(d -> d.getInstant("expires_at") != null && d.getInstant("expires_at").isAfter(clock.instant()))
                .orElseThrow(() -> new ServiceException.NotFound("Thread not found"));
        if (!key.sha256().equals(row.getString("owner_api_key_hash"))) {
            throw new ServiceException.Forbidden("Access denied");
        }
        return row;
    }

    private static Map<String, Object> origin(ChatMessage answer) {
        return Map.of("thread_parent_message_id", answer.messageId(), "thread_parent_session_id", answer.sessionId());
    }

    private static ConversationThread toThread(Document row) {
        return new ConversationThread(row.id(), row.getString("thread_session_id"), row.getString("parent_message_id"),
                row.getString("parent_session_id"), row.getString("adapter_name"), row.getString("query_context"),
                row.getString("dataset_key"), row.getInstant("created_at"), row.getInstant("expires_at"));
    }
}
