package dev.orbit.service;

import static dev.orbit.db.Filters.and;
import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.Filters.exists;
import static dev.orbit.db.Filters.ne;
import static dev.orbit.db.OrbitSchema.CHAT_HISTORY;
import static dev.orbit.db.OrbitSchema.CHAT_SESSIONS;
import static dev.orbit.db.Updates.combine;
import static dev.orbit.db.Updates.set;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.DuplicateKeyException;
import dev.orbit.db.Update;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Who owns a chat session, decided without multi-document transactions (MongoDB standalone has none).
 *
 * <p>The owner is recorded in a {@code chat_sessions} row whose {@code session_id} is unique: the first key to
 * write inserts it, and of two keys racing on a new session exactly one insert succeeds; the other gets a
 * duplicate key and is refused. Sessions written before markers existed (the reference's data) are owned by
 * the fingerprint on their rows; the first access adopts such a session by inserting its marker. As a second
 * line, a session without marker whose rows carry another key's fingerprint is refused too, so even a marker
 * lost to a race with clearing or retention cannot hand rows of one key to another.
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

    /** Refuses (403) unless the session is unowned or owned by this key. Writes nothing for its own key. */
    void requireAccess(String sessionId, String keyHash) {
        Optional<Document> marker = db.findOne(CHAT_SESSIONS, eq("session_id", sessionId));
        if (marker.isPresent()) {
            if (!keyHash.equals(marker.get().getString("api_key_hash"))) {
                throw denied();
            }
            return;
        }
        refuseForeignRows(sessionId, keyHash);
    }

    /**
     * Makes this key the session's owner if it has none, or confirms it is, and records the activity; 403 if
     * another key owns it. When the key owns the session, this is one read: the activity (and the user) are
     * written only when they changed, and {@code last_activity} at most once per {@link #TOUCH_INTERVAL}, so
     * that a busy session costs the single writer nothing here.
     */
    void claim(String sessionId, String keyHash, String userId, Instant now) {
        Optional<Document> current = db.findOne(CHAT_SESSIONS, eq("session_id", sessionId));
        if (current.isPresent()) {
            if (!keyHash.equals(current.get().getString("api_key_hash"))) {
                throw denied();
            }
            if (upToDate(current.get(), userId, now)) {
                return;
            }
        }
        Update touch = userId == null ? set("last_activity", now)
                : combine(set("last_activity", now), set("user_id", userId));
        for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
            if (db.updateOne(CHAT_SESSIONS, and(eq("session_id", sessionId), eq("api_key_hash", keyHash)), touch)
                    .matchedCount() == 1) {
                return;
            }
            Optional<Document> marker = db.findOne(CHAT_SESSIONS, eq("session_id", sessionId));
            if (marker.isPresent()) {
                if (!keyHash.equals(marker.get().getString("api_key_hash"))) {
                    throw denied();
                }
                continue; // ours, inserted after our touch: touch again
            }
            refuseForeignRows(sessionId, keyHash);
            try {
                db.insertOne(CHAT_SESSIONS, marker(sessionId, keyHash, userId, now));
                return;
            } catch (DuplicateKeyException e) {
                // Another request claimed it first; the next round reads who.
            }
        }
        // Markers appearing and vanishing under us (a clear racing with writes): let the client retry.
        throw new ServiceException.Conflict("Chat session " + sessionId + " is changing; try again");
    }

    /** Whether a marker of this key already says what a touch would write (activity within the interval). */
    private static boolean upToDate(Document marker, String userId, Instant now) {
        if (userId != null && !userId.equals(marker.getString("user_id"))) {
            return false;
        }
        Instant last = marker.getInstant("last_activity");
        return last != null && !now.isBefore(last) && Duration.between(last, now).compareTo(TOUCH_INTERVAL) < 0;
    }

    /** Removes this key's marker: the session is empty and free again. */
    void release(String sessionId, String keyHash) {
        db.deleteOne(CHAT_SESSIONS, and(eq("session_id", sessionId), eq("api_key_hash", keyHash)));
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

    private static Document marker(String sessionId, String keyHash, String userId, Instant now) {
        return Document.of("session_id", sessionId, "api_key_hash", keyHash, "user_id", userId, "created_at", now,
                "last_activity", now);
    }

    private static ServiceException.Forbidden denied() {
        return new ServiceException.Forbidden(ACCESS_DENIED);
    }
}
