package dev.orbit.service;

import static dev.orbit.db.Filters.and;
import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.OrbitSchema.FEEDBACK;
import static dev.orbit.db.Updates.combine;
import static dev.orbit.db.Updates.set;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.DuplicateKeyException;
import dev.orbit.db.Filter;
import dev.orbit.db.FindOptions;
import dev.orbit.db.Sort;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Thumbs up or down, with an optional comment, on an assistant message: one vote per message and session (the
 * reference ORBIT's {@code feedback} table and its rules). Only the API key that owns the session may vote or read
 * its votes (403), and only on an assistant message of that session (404).
 *
 * <p>Without a comment a vote toggles: the first creates it, the same again removes it, the other switches it and
 * clears the comment. With a comment (even empty) the vote and the comment are set.
 */
public final class FeedbackService {
    public static final int MAX_COMMENT = 2000;
    static final Set<String> TYPES = Set.of("up", "down");
    private static final int ATTEMPTS = 3;

    private final DatabaseService db;
    private final ChatHistoryService history;
    private final Clock clock;

    public FeedbackService(DatabaseService db, ChatHistoryService history, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.history = Objects.requireNonNull(history, "history");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A vote as a client sends it; {@code comment} null when the client sent none. */
    public record Vote(String sessionId, String messageId, String feedbackType, String comment, String userId,
                       String adapterName) {
    }

    /** Records the vote (see the class comment); 422 for a bad type or a long comment, 403/404 as above. */
    public Feedback vote(Vote vote, ApiKeyFingerprint key) {
        if (vote.feedbackType() == null || !TYPES.contains(vote.feedbackType())) {
            throw new ServiceException.Unprocessable("feedback_type", "feedback_type must be 'up' or 'down'");
        }
        if (vote.comment() != null && Characters.count(vote.comment()) > MAX_COMMENT) {
            throw new ServiceException.Unprocessable("comment", "comment must be at most " + MAX_COMMENT + " characters");
        }
        ChatMessage message = history.message(vote.sessionId(), vote.messageId(), key)
                .filter(m -> "assistant".equals(m.role()))
                .orElseThrow(() -> new ServiceException.NotFound("Message not found"));
        // Two clicks racing: the loser of an insert finds the winner's row and applies its change to it.
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<Document> existing = db.findOne(FEEDBACK, of(message));
            try {
                return existing.isEmpty() ? create(message, vote) : change(existing.get(), vote);
            } catch (DuplicateKeyException e) {
                // Another request created it meanwhile: read it and try again.
            }
        }
        throw new ServiceException.Conflict("The feedback is changing; try again");
    }

    /** The session's votes, oldest first, for the key that owns the session. */
    public List<Feedback> ofSession(String sessionId, ApiKeyFingerprint key) {
        history.checkAccess(sessionId, key);
        return votes(sessionId);
    }

    /** The session's votes, oldest first, without an owner check (the caller decided who may read them). */
    List<Feedback> votes(String sessionId) {
        return db.findMany(FEEDBACK, eq("session_id", sessionId), FindOptions.sortedBy(Sort.ascending("created_at", "_id")))
                .stream().map(d -> new Feedback(d.getString("message_id"), d.getString("feedback_type"),
                        d.getString("comment"), null)).toList();
    }

    /** Deletes the session's votes (its conversation is being deleted; the caller checked the owner). */
    long deleteOfSession(String sessionId) {
        return db.deleteMany(FEEDBACK, eq("session_id", sessionId));
    }

    private Feedback create(ChatMessage message, Vote vote) {
        Instant now = clock.instant();
        db.insertOne(FEEDBACK, Document.of("message_id", message.messageId(), "session_id", message.sessionId(),
                "user_id", vote.userId(), "feedback_type", vote.feedbackType(), "adapter_name", vote.adapterName(),
                "comment", vote.comment(), "created_at", now, "updated_at", now));
        return new Feedback(message.messageId(), vote.feedbackType(), vote.comment(), "created");
    }

    private Feedback change(Document existing, Vote vote) {
        String messageId = existing.getString("message_id");
        if (vote.comment() == null && vote.feedbackType().equals(existing.getString("feedback_type"))) {
            db.deleteOne(FEEDBACK, eq("_id", existing.id()));
            return new Feedback(messageId, null, null, "removed");
        }
        db.updateOne(FEEDBACK, eq("_id", existing.id()), combine(set("feedback_type", vote.feedbackType()),
                set("comment", vote.comment()), set("updated_at", clock.instant())));
        return new Feedback(messageId, vote.feedbackType(), vote.comment(), "updated");
    }

    private static Filter of(ChatMessage message) {
        return and(eq("message_id", message.messageId()), eq("session_id", message.sessionId()));
    }
}
