package dev.orbit.service;

import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.OrbitSchema.USERS;
import static dev.orbit.db.OrbitSchema.USER_BLACKLIST;
import static dev.orbit.db.Updates.combine;
import static dev.orbit.db.Updates.set;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.DuplicateKeyException;
import dev.orbit.db.Filters;
import dev.orbit.db.FindOptions;
import dev.orbit.db.IdUtils;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the login blacklist ({@code /auth/blacklist}, {@code users.manage}). A rule may not match the caller's
 * own account (400) nor any account holding a permission the caller lacks (403: a user-manager cannot lock out
 * an admin, the same rule as for managing an account). Creating or changing a rule ends the sessions of every
 * account it matches, on every gateway, and the reply says how many accounts and sessions that was.
 */
public final class BlacklistService {
    private static final Logger LOG = LoggerFactory.getLogger(BlacklistService.class);
    public static final int MAX_REASON_LENGTH = 500;
    static final String DUPLICATE = "An identical blacklist rule already exists";
    static final String NOT_FOUND = "Blacklist rule not found";

    /** A rule as written, with the accounts it matched and the sessions that ended. */
    public record Applied(BlacklistRule rule, int matchedUsers, long revokedSessions) {
    }

    private final DatabaseService db;
    private final AuthService auth;
    private final LoginBlacklist blacklist;
    private final Clock clock;

    public BlacklistService(DatabaseService db, AuthService auth, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.blacklist = auth.blacklist();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Every rule, newest first. */
    public List<BlacklistRule> list() {
        return blacklist.rules();
    }

    /** Adds a rule; 400 for a bad or duplicate rule or one matching the actor, 403 for one matching a stronger account. */
    public Applied create(User actor, String pattern, String entryType, String reason) {
        BlacklistRule rule = new BlacklistRule(null, BlacklistPattern.of(pattern), BlacklistRule.EntryType.of(entryType),
                reason(reason), actor.username(), clock.instant());
        List<User> matched = matchedAccounts(actor, rule);
        String id;
        try {
            id = db.insertOne(USER_BLACKLIST, Document.of("pattern", rule.pattern().text(), "entry_type",
                    rule.entryType().stored(), "reason", rule.reason(), "created_by", rule.createdBy(),
                    "created_at", rule.createdAt()));
        } catch (DuplicateKeyException e) {
            throw new ServiceException.InvalidInput(DUPLICATE);
        }
        BlacklistRule stored = new BlacklistRule(id, rule.pattern(), rule.entryType(), rule.reason(), rule.createdBy(),
                rule.createdAt());
        LOG.info("blacklist rule {} added by '{}': {} {}", id, actor.username(), rule.entryType().stored(),
                rule.pattern().text());
        return applied(stored, matched);
    }

    /** Replaces a rule's pattern, type and reason; 404 when there is no such rule, else as {@link #create}. */
    public Applied update(User actor, String ruleId, String pattern, String entryType, String reason) {
        Document current = find(ruleId);
        BlacklistRule changed = new BlacklistRule(current.id(), BlacklistPattern.of(pattern),
                BlacklistRule.EntryType.of(entryType), reason(reason), current.getString("created_by"),
                current.getInstant("created_at"));
        List<User> matched = matchedAccounts(actor, changed);
        try {
            if (db.updateOne(USER_BLACKLIST, eq("_id", current.id()), combine(set("pattern", changed.pattern().text()),
                    set("entry_type", changed.entryType().stored()), set("reason", changed.reason()),
                    set("updated_at", clock.instant()))).matchedCount() == 0) {
                throw new ServiceException.NotFound(NOT_FOUND); // deleted meanwhile
            }
        } catch (DuplicateKeyException e) {
            throw new ServiceException.InvalidInput(DUPLICATE);
        }
        LOG.info("blacklist rule {} changed by '{}': {} {}", current.id(), actor.username(),
                changed.entryType().stored(), changed.pattern().text());
        return applied(changed, matched);
    }

    /** Deletes a rule; 404 when there is none. */
    public void delete(User actor, String ruleId) {
        if (!db.deleteOne(USER_BLACKLIST, eq("_id", find(ruleId).id()))) {
            throw new ServiceException.NotFound(NOT_FOUND);
        }
        blacklist.invalidate();
        LOG.info("blacklist rule {} deleted by '{}'", ruleId, actor.username());
    }

    // Written first, then the sessions end: a login that read the rules before the write and opens its session
    // after is refused by the raised credentials version, one that reads them after finds the rule.
    private Applied applied(BlacklistRule rule, List<User> matched) {
        blacklist.invalidate();
        long revoked = auth.endSessionsOf(matched.stream().map(User::id).toList());
        return new Applied(rule, matched.size(), revoked);
    }

    /** The accounts the rule matches, after refusing a rule that matches the actor or an account stronger than them. */
    private List<User> matchedAccounts(User actor, BlacklistRule rule) {
        List<User> matched = db.findMany(USERS, Filters.all(), FindOptions.ALL).stream().map(AuthService::toUser)
                .filter(rule::matches).toList();
        if (matched.stream().anyMatch(user -> user.id().equals(actor.id()))) {
            throw new ServiceException.InvalidInput("This rule would block your own account");
        }
        if (matched.stream().anyMatch(user -> !Roles.covers(actor.roles(), user.roles()))) {
            throw new ServiceException.Forbidden("This rule would block an account that holds permissions you do not"
                    + " have");
        }
        return matched;
    }

    private Document find(String ruleId) {
        return IdUtils.ensureId(ruleId).flatMap(id -> db.findOne(USER_BLACKLIST, eq("_id", id)))
                .orElseThrow(() -> new ServiceException.NotFound(NOT_FOUND));
    }

    private static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            return null;
        }
        String text = reason.strip();
        if (text.codePointCount(0, text.length()) > MAX_REASON_LENGTH) {
            throw new ServiceException.InvalidInput("Reason cannot exceed " + MAX_REASON_LENGTH + " characters");
        }
        return text;
    }
}
