package dev.orbit.service;

import static dev.orbit.db.Filters.and;
import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.Filters.exists;
import static dev.orbit.db.Filters.ne;
import static dev.orbit.db.Filters.or;
import static dev.orbit.db.OrbitSchema.CHAT_HISTORY;
import static dev.orbit.db.OrbitSchema.CHAT_SESSIONS;
import static dev.orbit.db.Updates.set;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.DocumentStore;
import dev.orbit.db.DuplicateKeyException;
import dev.orbit.db.Filter;
import dev.orbit.db.TransactionWork;
import dev.orbit.db.TransactionsNotSupportedException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Who owns a chat session, decided without multi-document transactions (MongoDB standalone has none).
 *
 * <p>A session belongs to the API key that started it and, when a user started it (a verified session token
 * or an asserted {@code X-User-ID}), to that user too: another user of the same key, or a request naming no
 * user, is refused, so a key shared by several users does not let one read or continue another's conversation.
 * The user is recorded when the session is started and never changed. A session started without a user
 * belongs to the key alone.
 *
 * <p>The owner is recorded in a {@code chat_sessions} row whose {@code session_id} is unique: the first key to
 * write inserts it, and of two keys racing on a new session exactly one insert succeeds; the other gets a
 * duplicate key and is refused. Sessions written before markers existed (the reference's data) are owned by
 * the fingerprint on their rows; the first access adopts such a session by inserting its marker. As a second
 * line, a session without marker whose rows carry another key's fingerprint is refused too, so even a marker
 * lost to a race with clearing or retention cannot hand rows of one key to another.
 *
 * <p>Claiming needs no transaction. Only the check made when a turn is stored ({@link #confirm}) runs inside the
 * atomic unit that inserts the turn, where the database has such units; on a standalone MongoDB it is a read just
 * before the insert ({@link #claim}).
 */
final class SessionOwners {
    static final String ACCESS_DENIED = "Access denied";
    private static final int CLAIM_ATTEMPTS = 4;
    /** How stale a session's {@code last_activity} may be (it orders a user's sessions; retention counts days). */
    static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private final DatabaseService db;

    SessionOwners(DatabaseService db) {
        this.db = db;
    }

    /**
     * Refuses (403) unless the session is unowned or owned by this key, whichever user it belongs to (the key
     * holder's own reads and clearing). Writes nothing for its own key.
     */
    void requireAccess(String sessionId, String keyHash) {
        Optional<Document> marker = db.findOne(CHAT_SESSIONS, eq("session_id", sessionId));
        if (marker.isPresent()) {
            requireKey(marker.get(), keyHash);
            return;
        }
        refuseForeignRows(sessionId, keyHash);
    }

    /**
     * {@link #requireAccess(String, String)}, and refuses (403) another user than the one the session belongs to;
     * returns the owner record read (empty for an unowned session), for a {@link #claim} that follows at once.
     */
    Optional<Document> requireAccess(String sessionId, String keyHash, String userId) {
        Optional<Document> marker = db.findOne(CHAT_SESSIONS, eq("session_id", sessionId));
        if (marker.isPresent()) {
            requireCaller(marker.get(), keyHash, userId);
            return marker;
        }
        refuseForeignRows(sessionId, keyHash);
        return marker;
    }

    /**
     * Makes this key (and this user, when there is one) the session's owner if it has none, or confirms they
     * are, and records the activity; 403 if another key or user owns it. When they own the session, this is one
     * read: {@code last_activity} is written at most once per {@link #TOUCH_INTERVAL}, so that a busy session
     * costs the single writer nothing here.
     */
    void claim(String sessionId, String keyHash, String userId, Instant now) {
        claim(sessionId, keyHash, userId, now, requireAccess(sessionId, keyHash, userId));
    }

    /**
     * {@link #claim(String, String, String, Instant)} with what {@link #requireAccess(String, String, String)} has
     * just returned in the same request, so that the owner record is not read twice and, for a session that had
     * none, another key's rows are not looked for twice: the insert is tried at once. Only the reads are saved: the
     * touch, insert and their re-checks still decide against the database.
     */
    void claim(String sessionId, String keyHash, String userId, Instant now, Optional<Document> current) {
        if (current.isPresent()) {
            requireCaller(current.get(), keyHash, userId);
            if (upToDate(current.get(), now)) {
                return;
            }
        } else if (insertMarker(sessionId, keyHash, userId, now)) {
            return;
        }
        // The filter repeats the check, for a marker another request inserted since the read.
        Filter caller = caller(sessionId, keyHash, userId);
        for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
            if (db.updateOne(CHAT_SESSIONS, caller, set("last_activity", now)).matchedCount() == 1) {
                return;
            }
            Optional<Document> marker = db.findOne(CHAT_SESSIONS, eq("session_id", sessionId));
            if (marker.isPresent()) {
                requireCaller(marker.get(), keyHash, userId);
                continue; // ours, inserted after our touch: touch again
            }
            refuseForeignRows(sessionId, keyHash);
            if (insertMarker(sessionId, keyHash, userId, now)) {
                return;
            }
        }
        // Markers appearing and vanishing under us (a clear racing with writes): let the client retry.
        throw new ServiceException.Conflict("Chat session " + sessionId + " is changing; try again");
    }

    /** Whether this caller's marker was inserted; false when another request inserted one first. */
    private boolean insertMarker(String sessionId, String keyHash, String userId, Instant now) {
        try {
            db.insertOne(CHAT_SESSIONS, marker(sessionId, keyHash, userId, now));
            return true;
        } catch (DuplicateKeyException e) {
            return false; // another request claimed it first; the caller reads who
        }
    }

    /**
     * The store-time check of a turn, inside the atomic unit that stores it ({@code tx}): whether the session is
     * this caller's, read in the unit, with the activity recorded in the same unit when due (so a turn is one
     * unit, one job of SQLite's group commit). On SQLite the unit holds the write lock from this read to its
     * commit, so a session cleared and taken by another key meanwhile is refused, never written to. False when
     * the session has no owner (or lost it between the read and the touch): the caller claims it outside the unit
     * and tries again. 403 when another key or user owns it.
     */
    boolean confirm(DocumentStore tx, String sessionId, String keyHash, String userId, Instant now) {
        Optional<Document> marker = tx.findOne(CHAT_SESSIONS, eq("session_id", sessionId));
        if (marker.isEmpty()) {
            return false;
        }
        requireCaller(marker.get(), keyHash, userId);
        return upToDate(marker.get(), now)
                || tx.updateOne(CHAT_SESSIONS, caller(sessionId, keyHash, userId), set("last_activity", now))
                        .matchedCount() == 1;
    }

    /** The caller's own marker: this key, and this user or none recorded (a session started without one). */
    private static Filter caller(String sessionId, String keyHash, String userId) {
        return and(eq("session_id", sessionId), eq("api_key_hash", keyHash),
                userId == null ? eq("user_id", null) : or(eq("user_id", null), eq("user_id", userId)));
    }

    /** Whether a marker already says what a touch would write (activity within the interval). */
    private static boolean upToDate(Document marker, Instant now) {
        Instant last = marker.getInstant("last_activity");
        return last != null && !now.isBefore(last) && Duration.between(last, now).compareTo(TOUCH_INTERVAL) < 0;
    }

    /**
     * Removes this key's marker once the session is empty: it is free again. A turn stored after the clear deleted
     * the messages (its owner check still found the marker) keeps the marker, so its messages keep their owner and
     * another user of the key is still refused. Where the database runs atomic units the count and the delete are
     * one (on SQLite nothing is stored between them); elsewhere the count comes first, which narrows that window.
     */
    void release(String sessionId, String keyHash) {
        Filter marker = and(eq("session_id", sessionId), eq("api_key_hash", keyHash));
        TransactionWork<Boolean> releaseIfEmpty = store -> store.count(CHAT_HISTORY, eq("session_id", sessionId)) == 0
                && store.deleteOne(CHAT_SESSIONS, marker);
        try {
            db.executeAtomically(releaseIfEmpty);
        } catch (TransactionsNotSupportedException e) {
            releaseIfEmpty.run(db);
        }
    }

    private void refuseForeignRows(String sessionId, String keyHash) {
        Optional<Document> foreign = db.findOne(CHAT_HISTORY,
                and(eq("session_id", sessionId), exists("api_key_hash"), ne("api_key_hash", keyHash)));
        if (foreign.isPresent()) {
            adopt(sessionId, foreign.get());
            throw denied();
        }
    }

    /** Records the owner of a session written before markers existed, so the next check is one read. */
    private void adopt(String sessionId, Document row) {
        try {
            Instant at = row.getInstant("timestamp");
            db.insertOne(CHAT_SESSIONS, marker(sessionId, row.getString("api_key_hash"), row.getString("user_id"), at));
        } catch (DuplicateKeyException e) {
            // Someone recorded an owner first; the caller is refused either way.
        }
    }

    private static void requireKey(Document marker, String keyHash) {
        if (!keyHash.equals(marker.getString("api_key_hash"))) {
            throw denied();
        }
    }

    /** The key must be the owner's, and the user the one who started the session, if a user did. */
    private static void requireCaller(Document marker, String keyHash, String userId) {
        requireKey(marker, keyHash);
        String owner = marker.getString("user_id");
        if (owner != null && !owner.equals(userId)) {
            throw denied();
        }
    }

    private static Document marker(String sessionId, String keyHash, String userId, Instant now) {
        return Document.of("session_id", sessionId, "api_key_hash", keyHash, "user_id", userId, "created_at", now,
                "last_activity", now);
    }

    private static ServiceException.Forbidden denied() {
        return new ServiceException.Forbidden(ACCESS_DENIED);
    }
}
