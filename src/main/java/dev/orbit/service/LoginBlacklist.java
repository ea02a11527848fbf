package dev.orbit.service;

import static dev.orbit.db.OrbitSchema.USER_BLACKLIST;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.Filters;
import dev.orbit.db.FindOptions;
import dev.orbit.db.Sort;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The login blacklist's rules as the auth checks read them. Logins and registrations read the rules from the
 * database every time (they are rare), so a rule made on any gateway refuses them at once. Token checks, made
 * on every authenticated request, use the rules as read at most {@code ttl} ago ({@code auth.blacklist.cache_ttl},
 * 30 s); a rule written here drops this process's copy at once. That staleness never lets a blocked user in,
 * because writing a rule also ends the sessions of every account it matches on the database; what it can do is
 * keep refusing the sessions of a user whose rule another gateway deleted, for up to {@code ttl}.
 */
public final class LoginBlacklist {
    /** The reference's {@code auth.blacklist.cache_ttl}. */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(30);
    private static final Boolean ALL_RULES = Boolean.TRUE;

    private final DatabaseService db;
    private final ExpiringCache<Boolean, List<BlacklistRule>> cache;

    LoginBlacklist(DatabaseService db, Duration ttl, Clock clock) {
        this.db = db;
        this.cache = new ExpiringCache<>(clock, ttl, 1);
    }

    /** Every rule, newest first, read now. */
    List<BlacklistRule> rules() {
        return db.findMany(USER_BLACKLIST, Filters.all(),
                FindOptions.sortedBy(Sort.descending("created_at", "_id"))).stream()
                .filter(rule -> rule.getString("pattern") != null
                        && BlacklistRule.EntryType.known(rule.getString("entry_type")))
                .map(LoginBlacklist::rule).toList();
    }

    /** The first rule refusing this account, reading the rules now (logins, registrations). */
    Optional<BlacklistRule> matchNow(User user) {
        return first(rules(), user);
    }

    /** The first rule refusing this account, from rules read at most the cache's lifetime ago (token checks). */
    Optional<BlacklistRule> matchCached(User user) {
        return first(cache.get(ALL_RULES, all -> rules()), user);
    }

    /** Drops this process's copy of the rules (after a rule was written here). */
    void invalidate() {
        cache.invalidateAll();
    }

    private static Optional<BlacklistRule> first(List<BlacklistRule> rules, User user) {
        return rules.stream().filter(rule -> rule.matches(user)).findFirst();
    }

    static BlacklistRule rule(Document doc) {
        // Stored patterns were normalised when written; the reference's too. Taken as they are, not re-checked,
        // so that a rule a newer version allows still refuses what it matches.
        return new BlacklistRule(doc.id(), new BlacklistPattern(doc.getString("pattern")),
                BlacklistRule.EntryType.of(doc.getString("entry_type")), doc.getString("reason"),
                doc.getString("created_by"), doc.getInstant("created_at"));
    }
}
