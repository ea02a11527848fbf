package dev.orbit.service;

import static dev.orbit.db.Filters.and;
import static dev.orbit.db.Filters.differs;
import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.Filters.gt;
import static dev.orbit.db.Filters.gte;
import static dev.orbit.db.Filters.in;
import static dev.orbit.db.Filters.lt;
import static dev.orbit.db.OrbitSchema.CHAT_HISTORY;
import static dev.orbit.db.OrbitSchema.CHAT_SESSIONS;
import static dev.orbit.db.Updates.set;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.DuplicateKeyException;
import dev.orbit.db.FieldSpec;
import dev.orbit.db.Filter;
import dev.orbit.db.FindOptions;
import dev.orbit.db.IdUtils;
import dev.orbit.db.Projection;
import dev.orbit.db.Sort;
import dev.orbit.db.TransactionsNotSupportedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Chat history per session. A non-empty session belongs to one API key (by SHA-256 fingerprint, see
 * {@link SessionOwners}); another key reading, appending or clearing is refused with 403 before any work.
 * A turn's user and assistant messages are stored together or not at all; a retried write with the same
 * idempotency key stores nothing new and returns the first write's messages (identical content without a key is
 * a new message).
 *
 * <p>Messages come back in the order they were stored, across any number of processes on one database: each
 * message takes the next {@code sequence} of its session, and a unique index of the places (session and
 * sequence, or on MongoDB {@code sequence_key}) lets only one writer have a place, so the loser reads the new end and
 * tries again. Nothing about the
 * order is taken from a clock, and what is kept in memory (a session's recent messages, {@link ContextWindows}) is
 * checked against the database before each use. (On a MongoDB without transactions, a turn whose second message
 * loses its place undoes its first: a reader may glimpse that message for the moment, and a single message racing
 * with the undo may take the freed place.)
 */
public final class ChatHistoryService {
    /** The largest page of messages a caller may ask for. */
    public static final int MAX_LIMIT = 500;
    static final Set<String> ROLES = Set.of("user", "assistant", "system");
    private static final int MAX_SESSION_ID_LENGTH = 256;
    private static final int CONTEXT_PAGE = 100;
    private static final int MAX_SESSIONS_PAGE = 1000;
    /**
     * A session's order: by sequence (commit order, see {@link #place}); reference rows have none and come first,
     * by time. A session-keyed index serves it with the session's filter (see {@code OrbitSchema.CHAT_HISTORY_SPEC}).
     */
    private static final Sort OLDEST_FIRST = Sort.ascending("sequence", "timestamp", "_id");
    private static final Sort NEWEST_FIRST = Sort.descending("sequence", "timestamp", "_id");
    /** Across sessions (retention): the timestamp index serves it, where a session's order would need a sort. */
    private static final Sort BY_TIME = Sort.ascending("timestamp", "_id");
    /**
     * A user's sessions by activity; equal times (several sessions written within one touch interval or one
     * millisecond) are ordered by start, then by session id, so that pages never overlap or shuffle.
     */
    private static final Sort SESSIONS_NEWEST_FIRST = Sort.descending("last_activity", "created_at")
            .then(Sort.ascending("session_id"));
    /**
     * What the model's context needs of a message, and the place and time of the newest one (where the turn will
     * go): nothing else is read (the metadata is the largest part).
     */
    private static final Projection CONTEXT_FIELDS = Projection.include("role", "content", "token_count", "sequence",
            "timestamp");
    /** What checking a context window needs of the session's newest message ({@link #unchanged}). */
    private static final Projection NEWEST_FIELDS = Projection.include(FieldSpec.ID);
    /** What placing the next message needs of the session's last one. */
    private static final Projection PLACE_FIELDS = Projection.include("sequence", "timestamp");
    /** Tries to find a free place in a session before giving up with a 409 (each loss means another writer won). */
    private static final int STORE_ATTEMPTS = 32;

    private final DatabaseService db;
    private final ChatHistorySettings settings;
    private final Clock clock;
    private final SessionOwners owners;
    private final ContextWindows windows;
    /** Whether the database runs atomic units ({@link DatabaseService#executeAtomically}); learnt on the first store. */
    private volatile boolean atomicUnits = true;

    public ChatHistoryService(DatabaseService db, ChatHistorySettings settings, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.owners = new SessionOwners(db);
        this.windows = new ContextWindows(clock);
    }

    public ChatHistorySettings settings() {
        return settings;
    }

    /** Refuses (403 "Access denied") unless the session is empty or owned by this key (whichever its user). */
    public void checkAccess(String sessionId, ApiKeyFingerprint key) {
        owners.requireAccess(checkSessionId(sessionId), key.sha256());
    }

    /**
     * Makes this key (and {@code userId}, when not null) the owner of an unowned session, or confirms they own it;
     * 403 if another key or user does. A chat route calls this before asking the model, so a refused request
     * costs nothing.
     */
    public void claim(String sessionId, ApiKeyFingerprint key, String userId) {
        owners.claim(checkSessionId(sessionId), key.sha256(), userId, clock.instant());
    }

    /** Stores one message (claiming the session if it is unowned). */
    public ChatMessage addMessage(String sessionId, ApiKeyFingerprint key, String userId, NewMessage message,
                                  String idempotencyKey) {
        return store(sessionId, key, userId, List.of(message), idempotencyKey, null).messages.getFirst();
    }

    /**
     * The turn an earlier {@link #addTurn} stored in the session of this key with this idempotency key, if any,
     * so a retried request can be answered without asking the model again. 403 as for {@link #context}.
     */
    public Optional<ChatTurn> storedTurn(String sessionId, ApiKeyFingerprint key, String userId, String idempotencyKey) {
        String id = checkSessionId(sessionId);
        owners.requireAccess(id, key.sha256(), userId);
        return findStoredTurn(id, idempotencyKey);
    }

    private Optional<ChatTurn> findStoredTurn(String id, String idempotencyKey) {
        List<String> hashes = List.of(idempotencyHash(id, "user", idempotencyKey),
                idempotencyHash(id, "assistant", idempotencyKey));
        List<ChatMessage> found = db.findMany(CHAT_HISTORY, storedUnder(id, hashes), FindOptions.sortedBy(OLDEST_FIRST))
                .stream().map(ChatHistoryService::toMessage).toList();
        if (found.size() != 2 || !"user".equals(found.get(0).role()) || !"assistant".equals(found.get(1).role())) {
            return Optional.empty();
        }
        return Optional.of(new ChatTurn(found.get(0), found.get(1), true));
    }

    /** Stores a user message and the assistant's reply, both or neither. */
    public ChatTurn addTurn(String sessionId, ApiKeyFingerprint key, String userId, NewMessage user,
                            NewMessage assistant, String idempotencyKey) {
        return addTurn(sessionId, key, userId, user, assistant, idempotencyKey, null);
    }

    /**
     * {@link #addTurn(String, ApiKeyFingerprint, String, NewMessage, NewMessage, String)} after a {@link #forTurn} of
     * the same request: its {@code end} of the session (null: read it now) is where the turn is first tried, so
     * the session's last message is not read again (a writer that stored in between makes that try fail on the
     * place, and the next one reads).
     */
    public ChatTurn addTurn(String sessionId, ApiKeyFingerprint key, String userId, NewMessage user,
                            NewMessage assistant, String idempotencyKey, TurnHistory.SessionEnd end) {
        if (!"user".equals(user.role()) || !"assistant".equals(assistant.role())) {
            throw new ServiceException.InvalidInput("A turn is a user message and an assistant message");
        }
        Stored stored = store(sessionId, key, userId, List.of(user, assistant), idempotencyKey, end);
        return new ChatTurn(stored.messages.get(0), stored.messages.get(1), stored.replayed);
    }

    /** The latest {@code limit} messages (1..500) in chronological order, for an admin: no ownership check. */
    public List<ChatMessage> latest(String sessionId, int limit) {
        String id = checkSessionId(sessionId);
        return newest(id, checkLimit(limit));
    }

    /** The latest {@code limit} messages in chronological order, for the key that owns the session. */
    public List<ChatMessage> latest(String sessionId, ApiKeyFingerprint key, int limit) {
        String id = checkSessionId(sessionId);
        int checked = checkLimit(limit);
        owners.requireAccess(id, key.sha256());
        return newest(id, checked);
    }

    /**
     * The newest messages whose token counts add up to at most {@code maxTokens} (and at most 500 of them), in
     * chronological order, for the next turn of {@code userId} (null: none named) with this key: the oldest are
     * dropped first, and nothing older than a dropped message is kept. 403 unless the session is the key's and,
     * if a user started it, that user's.
     */
    public List<ContextMessage> context(String sessionId, ApiKeyFingerprint key, String userId, int maxTokens) {
        return context(sessionId, key, userId, maxTokens, MAX_LIMIT);
    }

    /**
     * {@link #context(String, ApiKeyFingerprint, String, int)} with at most {@code maxMessages} (1..500) messages,
     * so a long session costs one short read per chat turn.
     */
    public List<ContextMessage> context(String sessionId, ApiKeyFingerprint key, String userId, int maxTokens,
                                        int maxMessages) {
        String id = checkSessionId(sessionId);
        int cap = checkLimit(maxMessages);
        Optional<Document> owner = owners.requireAccess(id, key.sha256(), userId);
        return readContext(id, ownerId(owner), maxTokens, cap).messages();
    }

    /**
     * What a chat turn reads before the model is asked, with one owner check: 403 as for {@link #context}; the
     * context ({@link #context(String, ApiKeyFingerprint, String, int, int)}); when that is empty, the session
     * claimed for this key and user ({@link #claim}), so that a second key racing for a new session is refused
     * before its model is asked, not after; and, with an idempotency key, the turn stored under it
     * ({@link #storedTurn}).
     */
    public TurnHistory forTurn(String sessionId, ApiKeyFingerprint key, String userId, int maxTokens, int maxMessages,
                               String idempotencyKey) {
        String id = checkSessionId(sessionId);
        int cap = checkLimit(maxMessages);
        Optional<Document> owner = owners.requireAccess(id, key.sha256(), userId);
        ContextRead context = windowContext(id, ownerId(owner), maxTokens, cap);
        if (context == null) {
            context = readContext(id, ownerId(owner), maxTokens, cap);
        }
        if (context.messages().isEmpty()) {
            // A session with our messages is ours already, and storing the turn checks and touches it.
            owners.claim(id, key.sha256(), userId, clock.instant(), owner);
        }
        return new TurnHistory(context.messages(),
                idempotencyKey == null ? Optional.empty() : findStoredTurn(id, idempotencyKey), context.end());
    }

    /** The context, oldest first, and the session's end as the same read found it. */
    private record ContextRead(List<ContextMessage> messages, TurnHistory.SessionEnd end) {
    }

    /** The id of the owner record {@link SessionOwners#requireAccess} read; null for an unowned session. */
    private static String ownerId(Optional<Document> owner) {
        return owner.map(Document::id).orElse(null);
    }

    /**
     * Reads the context page by page, newest first, and keeps what it read as the session's window, tied to the owner
     * record the caller's access was checked with ({@code ownerId}; none for an unowned session).
     */
    private ContextRead readContext(String id, String ownerId, int maxTokens, int cap) {
        int page = Math.min(CONTEXT_PAGE, cap);
        List<Document> docs = new ArrayList<>();
        List<ContextMessage> newestFirst = new ArrayList<>();
        for (int skip = 0; ; skip += page) {
            List<Document> more = db.findMany(CHAT_HISTORY, eq("session_id", id),
                    FindOptions.sortedBy(NEWEST_FIRST).skip(skip).limit(page).projection(CONTEXT_FIELDS));
            docs.addAll(more);
            more.forEach(doc -> newestFirst.add(toContextMessage(doc)));
            boolean whole = more.size() < page;
            List<ContextMessage> selected = select(newestFirst, whole, maxTokens, cap);
            if (selected != null) {
                remember(id, ownerId, docs, newestFirst, whole);
                return new ContextRead(selected, docs.isEmpty() ? TurnHistory.SessionEnd.EMPTY
                        : sessionEnd(docs.getFirst()));
            }
        }
    }

    /**
     * The context from the session's window, or null when it has none, the window holds too little for this
     * budget, or the session changed since: another owner record than the window was read under ({@code ownerId},
     * what the caller's access was just checked with; a clear deletes the record and a new owner, key or user, gets
     * a new one), or other messages ({@link #unchanged}: two small reads instead of the context's rows).
     */
    private ContextRead windowContext(String id, String ownerId, int maxTokens, int cap) {
        ContextWindows.Window window = windows.get(id);
        if (window == null) {
            return null;
        }
        if (!window.ownerId().equals(ownerId)) {
            windows.remove(id);
            return null;
        }
        List<ContextMessage> selected = select(window.messages(), window.whole(), maxTokens, cap);
        if (selected == null) {
            return null;
        }
        if (!unchanged(id, window)) {
            windows.remove(id);
            return null;
        }
        return new ContextRead(selected, window.end());
    }

    /**
     * Whether the session still holds exactly the window's messages: its newest message is the window's (nothing was
     * added after it), and it holds as many messages from the window's oldest place on, or in all when the window
     * held all of them (none was removed, and none was put among them: a turn placed after an end it read before a
     * clear can land below a later one, so a window of a whole session counts the whole session).
     */
    private boolean unchanged(String id, ContextWindows.Window window) {
        Optional<Document> newest = db.findOne(CHAT_HISTORY, eq("session_id", id),
                FindOptions.sortedBy(NEWEST_FIRST).projection(NEWEST_FIELDS));
        Filter counted = window.whole() ? eq("session_id", id)
                : and(eq("session_id", id), gte("sequence", window.oldestSequence()));
        return newest.isPresent() && window.newestId().equals(newest.get().id())
                && db.count(CHAT_HISTORY, counted) == window.size();
    }

    /**
     * The newest of {@code newestFirst} whose token counts add up to at most {@code maxTokens}, at most {@code cap}
     * of them, oldest first (nothing older than a dropped message is kept); null when all of them fit and the
     * session may hold older ones (not {@code whole}), so that more must be read.
     */
    private static List<ContextMessage> select(List<ContextMessage> newestFirst, boolean whole, int maxTokens,
                                               int cap) {
        long used = 0;
        int kept = 0;
        for (ContextMessage message : newestFirst) {
            if (kept == cap || used + message.tokenCount() > maxTokens) {
                return chronological(newestFirst.subList(0, kept));
            }
            used += message.tokenCount();
            kept++;
        }
        return whole || kept == cap ? chronological(newestFirst) : null;
    }

    /** Keeps the messages read (newest first) as the session's window; a reference row (no place) keeps none. */
    private void remember(String id, String ownerId, List<Document> docs, List<ContextMessage> messages,
                          boolean whole) {
        if (ownerId == null || docs.isEmpty()) {
            windows.remove(id);
            return;
        }
        List<ContextWindows.Entry> entries = new ArrayList<>(docs.size());
        for (int i = 0; i < docs.size(); i++) {
            ContextWindows.Entry entry = entry(docs.get(i), messages.get(i));
            if (entry == null) {
                windows.remove(id);
                return;
            }
            entries.add(entry);
        }
        windows.put(id, ContextWindows.Window.of(entries, docs.getFirst().id(), docs.getFirst().getInstant("timestamp"),
                whole, clock.instant(), ownerId));
    }

    /** A stored message as a window holds it; null for a message without a place (a reference row). */
    private static ContextWindows.Entry entry(Document doc, ContextMessage message) {
        Long sequence = doc.getLong("sequence");
        return sequence == null ? null : new ContextWindows.Entry(sequence, message);
    }

    /**
     * After this process stored {@code docs} in the session, placed after the message {@code placedAfter} names:
     * when that is the window's newest message, they extend the window (the next turn checks it as any other);
     * otherwise the window is dropped. The message, not its place: a session cleared and refilled, perhaps by
     * another key, has other messages in the same places.
     */
    private void extendWindow(String id, TurnHistory.SessionEnd placedAfter, List<Document> docs) {
        ContextWindows.Window window = windows.get(id);
        if (window == null) {
            return;
        }
        if (!window.newestId().equals(placedAfter.messageId())) {
            windows.remove(id);
            return;
        }
        List<ContextWindows.Entry> stored = docs.stream().map(doc -> entry(doc, toContextMessage(doc))).toList();
        Document newest = docs.getLast();
        windows.replace(id, window, window.after(stored, newest.id(), newest.getInstant("timestamp"),
                settings.defaultLimit(), settings.maxMessagesPerSession()));
    }

    /** Deletes every message of a session owned by this key (403 for another key) and frees the session. */
    public ClearedSession clear(String sessionId, ApiKeyFingerprint key) {
        String id = checkSessionId(sessionId);
        owners.requireAccess(id, key.sha256());
        long deleted = db.deleteMany(CHAT_HISTORY, eq("session_id", id));
        windows.remove(id);
        owners.release(id, key.sha256());
        return new ClearedSession(id, deleted, clock.instant());
    }

    /** A user's sessions, most recently active first, with their message counts; limit 1..1000. */
    public List<SessionSummary> sessionsOfUser(String userId, int limit, int offset) {
        if (userId == null || userId.isBlank()) {
            throw new ServiceException.InvalidInput("user_id is required");
        }
        Paging page = Paging.clamp(limit, offset, MAX_SESSIONS_PAGE);
        List<Document> markers = db.findMany(CHAT_SESSIONS, eq("user_id", userId),
                FindOptions.sortedBy(SESSIONS_NEWEST_FIRST).skip(page.offset()).limit(page.limit()));
        List<SessionSummary> out = new ArrayList<>(markers.size());
        for (Document marker : markers) {
            String sessionId = marker.getString("session_id");
            out.add(new SessionSummary(sessionId, marker.getInstant("created_at"), marker.getInstant("last_activity"),
                    db.count(CHAT_HISTORY, eq("session_id", sessionId))));
        }
        return out;
    }

    /**
     * Deletes messages older than the retention period in batches (each one write, so other writers get
     * their turn), then the owner records of sessions left empty and idle as long; returns how many
     * messages were deleted. Does nothing when retention is 0 (keep forever).
     */
    public long purgeExpired() {
        if (settings.retentionDays() == 0) {
            return 0;
        }
        Instant cutoff = clock.instant().minus(Duration.ofDays(settings.retentionDays()));
        int batch = settings.retentionBatchSize();
        long deleted = 0;
        while (true) {
            List<Document> expired = db.findMany(CHAT_HISTORY, lt("timestamp", cutoff),
                    FindOptions.sortedBy(BY_TIME).limit(batch));
            if (expired.isEmpty()) {
                break;
            }
            deleted += db.deleteMany(CHAT_HISTORY, in("_id", ids(expired)));
            if (expired.size() < batch) {
                break;
            }
        }
        releaseIdleSessions(cutoff, batch);
        return deleted;
    }

    /**
     * The message with this id in the session, for the key that owns the session (403 for another key); empty
     * when there is no such message there (a malformed id included).
     */
    public Optional<ChatMessage> message(String sessionId, String messageId, ApiKeyFingerprint key) {
        String id = checkSessionId(sessionId);
        owners.requireAccess(id, key.sha256());
        return IdUtils.ensureId(messageId)
                .flatMap(mid -> db.findOne(CHAT_HISTORY, and(eq("_id", mid), eq("session_id", id))))
                .map(ChatHistoryService::toMessage);
    }

    /**
     * The user message an assistant message answered: the session's latest user message stored before it
     * (same key as {@link #message}); empty when there is none.
     */
    public Optional<ChatMessage> questionOf(ChatMessage answer, ApiKeyFingerprint key) {
        String id = checkSessionId(answer.sessionId());
        owners.requireAccess(id, key.sha256());
        // Before it in the session's order: by place when it has one (a turn's two messages share a timestamp),
        // by time for the reference's rows, which have no place.
        Long place = IdUtils.ensureId(answer.messageId())
                .flatMap(mid -> db.findOne(CHAT_HISTORY, and(eq("_id", mid), eq("session_id", id))))
                .map(d -> d.getLong("sequence")).orElse(null);
        Filter before = place != null ? lt("sequence", place) : lt("timestamp", answer.timestamp());
        return db.findMany(CHAT_HISTORY, and(eq("session_id", id), eq("role", "user"), before),
                        FindOptions.sortedBy(NEWEST_FIRST).limit(1))
                .stream().findFirst().map(ChatHistoryService::toMessage);
    }

    /**
     * Moves ownership of every session from one key fingerprint to another (when a key is renamed, its
     * conversations stay its own).
     */
    static void transferOwnership(DatabaseService db, String fromSha256, String toSha256) {
        db.updateMany(CHAT_SESSIONS, eq("api_key_hash", fromSha256), set("api_key_hash", toSha256));
        db.updateMany(CHAT_HISTORY, eq("api_key_hash", fromSha256), set("api_key_hash", toSha256));
    }

    private record Stored(List<ChatMessage> messages, boolean replayed) {
    }

    /**
     * Stores the messages together; {@code end}, when not null, is where the session is thought to end. Where the
     * database runs atomic units, each try is one unit holding the store-time owner check (and the session's touch,
     * when due) with the insert ({@link #insert}): on SQLite one job of the group commit, one transaction elsewhere.
     */
    private Stored store(String sessionId, ApiKeyFingerprint key, String userId, List<NewMessage> messages,
                         String idempotencyKey, TurnHistory.SessionEnd end) {
        String id = checkSessionId(sessionId);
        messages.forEach(ChatHistoryService::checkMessage);
        boolean atomic = atomicUnits; // one answer for the whole store, though another thread may learn meanwhile
        if (!atomic) {
            owners.claim(id, key.sha256(), userId, clock.instant());
        }
        for (int attempt = 0; attempt < STORE_ATTEMPTS; attempt++) {
            TurnHistory.SessionEnd last = attempt == 0 && end != null ? end : readSessionEnd(id);
            List<Document> docs = place(id, key, userId, messages, idempotencyKey, last);
            try {
                List<String> ids = insert(id, key.sha256(), userId, docs, atomic);
                if (ids == null) {
                    // The session has no owner (a first write without a turn's reads, or cleared meanwhile).
                    owners.claim(id, key.sha256(), userId, clock.instant());
                    continue;
                }
                for (int i = 0; i < docs.size(); i++) {
                    docs.get(i).put("_id", ids.get(i));
                }
                enforceSessionCap(id);
                extendWindow(id, last, docs);
                return new Stored(docs.stream().map(ChatHistoryService::toMessage).toList(), false);
            } catch (DuplicateKeyException e) {
                // Either an earlier call stored this idempotency key (replay it), or another writer took these
                // places in the session first (place the messages after its own and try again).
                Stored replayed = idempotencyKey == null ? null : replay(id, docs, e);
                if (replayed != null) {
                    return replayed;
                }
            }
        }
        // Only under a sustained burst of writers on one session: the client may retry.
        throw new ServiceException.Conflict("Chat session " + id + " is busy; try again");
    }

    /**
     * Inserts the placed messages and returns their ids: with {@code atomic}, in one atomic unit with {@link
     * SessionOwners#confirm} (null: the session has no owner, nothing was written), unless the database turns out to
     * run none; without, {@link #store} has run {@link SessionOwners#claim} before (a standalone MongoDB).
     */
    private List<String> insert(String sessionId, String keyHash, String userId, List<Document> docs, boolean atomic) {
        if (atomic) {
            Instant now = clock.instant();
            try {
                return db.executeAtomically(tx -> owners.confirm(tx, sessionId, keyHash, userId, now)
                        ? tx.insertMany(CHAT_HISTORY, docs) : null);
            } catch (TransactionsNotSupportedException e) {
                atomicUnits = false;
                owners.claim(sessionId, keyHash, userId, now);
            }
        }
        return db.insertMany(CHAT_HISTORY, docs);
    }

    /** Where the session ends now: its last stored message's place and time. */
    private TurnHistory.SessionEnd readSessionEnd(String sessionId) {
        return db.findOne(CHAT_HISTORY, eq("session_id", sessionId),
                        FindOptions.sortedBy(NEWEST_FIRST).projection(PLACE_FIELDS))
                .map(ChatHistoryService::sessionEnd).orElse(TurnHistory.SessionEnd.EMPTY);
    }

    private static TurnHistory.SessionEnd sessionEnd(Document last) {
        return new TurnHistory.SessionEnd(last.getLong("sequence"), last.getInstant("timestamp"), last.id());
    }

    /**
     * The documents to insert, placed after the session's last stored message: sequences last+1, last+2, ...
     * (the unique index of the places makes the database the judge of who got a place), and timestamps that
     * never go back within the session even when this process's clock is behind another's.
     */
    private List<Document> place(String sessionId, ApiKeyFingerprint key, String userId, List<NewMessage> messages,
                                 String idempotencyKey, TurnHistory.SessionEnd last) {
        long next = last.sequence() == null ? 1 : last.sequence() + 1;
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant lastTime = last.timestamp();
        Instant at = lastTime != null && lastTime.isAfter(now) ? lastTime : now;
        List<Document> docs = new ArrayList<>(messages.size());
        for (NewMessage m : messages) {
            long sequence = next++;
            String place = Secrets.sha256Hex(sessionId + "\n" + sequence);
            // Only a key the client sent on purpose makes a retry: identical content is a new message. Without
            // one, the hash is the message's place, which no other message can have (not null: the in-process
            // MongoDB server of the tests would take two nulls in one session for duplicates).
            String hash = idempotencyKey == null ? place : idempotencyHash(sessionId, m.role(), idempotencyKey);
            docs.add(Document.of("session_id", sessionId, "role", m.role(), "content", m.content(), "timestamp", at,
                    "sequence", sequence, "sequence_key", place, "user_id", userId, "api_key", key.masked(),
                    "api_key_hash", key.sha256(),
                    "metadata", m.metadata().isEmpty() ? null : m.metadata(), "message_hash", hash,
                    "token_count", m.tokenCount() != null ? m.tokenCount() : estimateTokens(m.content())));
        }
        return docs;
    }

    /**
     * The session's messages stored under these idempotency hashes. Such a message's hash is never its place's key
     * (sequence_key: SHA-256 of other text), so the last condition changes no answer: it is the condition of the
     * SQL backends' partial index on message_hash, which the planner uses only when the query states it. Public for
     * the query-plan tests, which check that this very filter reads through that index.
     */
    public static Filter storedUnder(String sessionId, List<String> hashes) {
        return and(eq("session_id", sessionId), in("message_hash", hashes), differs("message_hash", "sequence_key"));
    }

    private static String idempotencyHash(String sessionId, String role, String idempotencyKey) {
        return Secrets.sha256Hex(sessionId + "\n" + role + "\n" + idempotencyKey);
    }

    /**
     * The messages an earlier call stored under the same idempotency hashes; null when there are none (the
     * duplicate was another writer's sequence). Some but not all of them is a real conflict: the failure stands.
     */
    private Stored replay(String sessionId, List<Document> attempted, DuplicateKeyException failure) {
        List<String> hashes = attempted.stream().map(d -> d.getString("message_hash")).toList();
        List<Document> existing = db.findMany(CHAT_HISTORY, storedUnder(sessionId, hashes),
                FindOptions.sortedBy(OLDEST_FIRST));
        if (existing.isEmpty()) {
            return null;
        }
        if (existing.size() != attempted.size()) {
            throw failure;
        }
        List<ChatMessage> out = new ArrayList<>();
        for (String hash : hashes) {
            existing.stream().filter(d -> hash.equals(d.getString("message_hash"))).findFirst()
                    .map(ChatHistoryService::toMessage).ifPresent(out::add);
        }
        return new Stored(out, true);
    }

    private void enforceSessionCap(String sessionId) {
        int cap = settings.maxMessagesPerSession();
        if (cap == 0) {
            return;
        }
        // A count first, from the index alone: finding what lies beyond the newest `cap` sorts the session's rows by
        // their place and time, which reads each row. A session within its cap (most) costs the count only; one at
        // its cap costs both on each turn, as before plus the count.
        if (db.count(CHAT_HISTORY, eq("session_id", sessionId)) <= cap) {
            return;
        }
        List<Document> beyond = db.findMany(CHAT_HISTORY, eq("session_id", sessionId),
                FindOptions.sortedBy(NEWEST_FIRST).skip(cap).projection(Projection.include(FieldSpec.ID)));
        if (!beyond.isEmpty()) {
            db.deleteMany(CHAT_HISTORY, in("_id", ids(beyond)));
        }
    }

    /** Frees sessions emptied by retention and idle since the cutoff, paging through owner records by id. */
    private void releaseIdleSessions(Instant cutoff, int batch) {
        String after = null;
        while (true) {
            Filter idle = after == null ? lt("last_activity", cutoff) : and(lt("last_activity", cutoff), gt("_id", after));
            List<Document> markers = db.findMany(CHAT_SESSIONS, idle, FindOptions.sortedBy(Sort.ascending("_id"))
                    .limit(batch));
            for (Document marker : markers) {
                if (db.count(CHAT_HISTORY, eq("session_id", marker.getString("session_id"))) == 0) {
                    // Still idle: a write that touched the record since keeps it.
                    db.deleteOne(CHAT_SESSIONS, and(eq("_id", marker.id()), lt("last_activity", cutoff)));
                }
            }
            if (markers.size() < batch) {
                return;
            }
            after = markers.getLast().id();
        }
    }

    private List<ChatMessage> newest(String sessionId, int limit) {
        List<Document> docs = db.findMany(CHAT_HISTORY, eq("session_id", sessionId),
                FindOptions.sortedBy(NEWEST_FIRST).limit(limit));
        return chronological(docs.stream().map(ChatHistoryService::toMessage).toList());
    }

    private static <T> List<T> chronological(List<T> newestFirst) {
        List<T> out = new ArrayList<>(newestFirst);
        Collections.reverse(out);
        return List.copyOf(out);
    }

    private static List<Object> ids(List<Document> docs) {
        return docs.stream().<Object>map(Document::id).toList();
    }

    static String checkSessionId(String sessionId) {
        if (sessionId == null || Characters.isBlank(sessionId)) {
            throw new ServiceException.InvalidInput("Session ID is required");
        }
        if (Characters.count(sessionId) > MAX_SESSION_ID_LENGTH || sessionId.chars().anyMatch(Character::isISOControl)) {
            throw new ServiceException.InvalidInput("Session ID must be at most " + MAX_SESSION_ID_LENGTH
                    + " characters without control characters");
        }
        return sessionId;
    }

    private static int checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ServiceException.Unprocessable("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        return limit;
    }

    private static void checkMessage(NewMessage message) {
        if (!ROLES.contains(message.role())) {
            throw new ServiceException.InvalidInput("Message role must be one of " + ROLES);
        }
    }

    /** About four characters per token, the usual estimate when the provider reports no count. */
    static long estimateTokens(String content) {
        return Math.max(1, (content.length() + 3) / 4);
    }

    private static ContextMessage toContextMessage(Document doc) {
        return new ContextMessage(doc.getString("role"), doc.getString("content"), tokenCount(doc));
    }

    /** The stored count, or the estimate for rows stored without one (the reference's). */
    private static long tokenCount(Document doc) {
        Long tokens = doc.getLong("token_count");
        String content = doc.getString("content");
        return tokens != null ? tokens : estimateTokens(content == null ? "" : content);
    }

    private static ChatMessage toMessage(Document doc) {
        Map<String, Object> metadata = doc.getMap("metadata");
        return new ChatMessage(doc.id(), doc.getString("session_id"), doc.getString("role"), doc.getString("content"),
                doc.getInstant("timestamp"), doc.getString("user_id"), metadata == null ? Map.of() : metadata,
                tokenCount(doc));
    }
}
