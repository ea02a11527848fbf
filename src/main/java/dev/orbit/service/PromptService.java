package dev.orbit.service;

import static dev.orbit.db.Filters.all;
import static dev.orbit.db.Filters.containsIgnoreCase;
import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.OrbitSchema.API_KEYS;
import static dev.orbit.db.OrbitSchema.SYSTEM_PROMPTS;
import static dev.orbit.db.Updates.combine;
import static dev.orbit.db.Updates.set;
import static dev.orbit.db.Updates.setOnInsert;
import static dev.orbit.db.Updates.unset;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.DuplicateKeyException;
import dev.orbit.db.FindOptions;
import dev.orbit.db.IdUtils;
import dev.orbit.db.Sort;
import dev.orbit.db.Update;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * System prompts: create (the same name again overwrites that prompt and keeps its id), read, list, update
 * with the version bump rule, delete (keys tied to the prompt lose the link). {@link #find} is the cached read
 * of the chat path: changes made here show at once, changes from other processes within the cache TTL.
 */
public final class PromptService {
    public static final int MAX_PROMPT_LENGTH = 25_000;
    private static final int MAX_NAME_LENGTH = 255;
    private static final int MAX_VERSION_LENGTH = 50;
    private static final int MAX_PAGE = 1000;
    private static final Pattern LAST_NUMBER = Pattern.compile("(\\d+)(?=\\D*$)");

    private final DatabaseService db;
    private final Clock clock;
    private final ExpiringCache<String, Optional<Prompt>> cache;

    public PromptService(DatabaseService db, PromptSettings settings, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cache = new ExpiringCache<>(clock, settings.cacheTtl(), settings.cacheEntries());
    }

    /** Creates the prompt, or overwrites text and version of the prompt with this name (same id). */
    public Prompt create(String name, String prompt, String version) {
        checkName(name);
        checkText(prompt);
        String v = version == null ? "1.0" : checkVersion(version);
        Instant now = clock.instant();
        Update update = combine(set("prompt", prompt), set("version", v), set("updated_at", now),
                setOnInsert("created_at", now));
        try {
            db.updateOne(SYSTEM_PROMPTS, eq("name", name), update, dev.orbit.db.UpdateOptions.UPSERT);
        } catch (DuplicateKeyException e) {
            // Another writer inserted this name between our match and insert: overwrite theirs.
            db.updateOne(SYSTEM_PROMPTS, eq("name", name), combine(set("prompt", prompt), set("version", v),
                    set("updated_at", now)));
        }
        cache.invalidateAll();
        return db.findOne(SYSTEM_PROMPTS, eq("name", name)).map(PromptService::toPrompt)
                .orElseThrow(() -> new ServiceException.NotFound("Prompt not found")); // deleted meanwhile
    }

    /** The prompt, read from the database; 404 "Prompt not found". */
    public Prompt get(String id) {
        return load(id).orElseThrow(PromptService::notFound);
    }

    /** The prompt through the cache (the chat path); empty when it does not exist. */
    public Optional<Prompt> find(String id) {
        if (IdUtils.ensureId(id).isEmpty()) {
            return Optional.empty();
        }
        return cache.get(id, this::load);
    }

    /** Prompts by name; {@code nameFilter} is a literal case-insensitive substring; limit 1..1000. */
    public List<Prompt> list(String nameFilter, int limit, int offset) {
        Paging page = Paging.clamp(limit, offset, MAX_PAGE);
        var filter = nameFilter == null || nameFilter.isEmpty() ? all() : containsIgnoreCase("name", nameFilter);
        return db.findMany(SYSTEM_PROMPTS, filter, FindOptions.sortedBy(Sort.ascending("name", "_id"))
                .skip(page.offset()).limit(page.limit())).stream().map(PromptService::toPrompt).toList();
    }

    /** Replaces the text; without a version the last number of the current one is bumped ({@link #bumpVersion}). */
    public Prompt update(String id, String prompt, String version) {
        checkText(prompt);
        Prompt current = get(id);
        String v = version == null || version.isBlank() ? bumpVersion(current.version()) : checkVersion(version);
        Instant now = clock.instant();
        long matched = db.updateOne(SYSTEM_PROMPTS, eq("_id", current.id()),
                combine(set("prompt", prompt), set("version", v), set("updated_at", now))).matchedCount();
        cache.invalidateAll();
        if (matched == 0) {
            throw notFound();
        }
        return new Prompt(current.id(), current.name(), prompt, v, current.createdAt(), now);
    }

    /** Deletes the prompt; API keys tied to it lose the association. */
    public void delete(String id) {
        String valid = IdUtils.ensureId(id).orElseThrow(PromptService::notFound);
        boolean deleted = db.deleteOne(SYSTEM_PROMPTS, eq("_id", valid));
        cache.invalidateAll();
        if (!deleted) {
            throw notFound();
        }
        db.updateMany(API_KEYS, eq("system_prompt_id", valid), unset("system_prompt_id"));
    }

    /**
     * The next version: the last number in it plus one ("1.0" → "1.1", "v2" → "v3", "1.9" → "1.10"), or
     * ".1" appended when it holds no number.
     */
    public static String bumpVersion(String version) {
        String current = version == null ? "" : version;
        Matcher m = LAST_NUMBER.matcher(current);
        if (!m.find()) {
            return current + ".1";
        }
        String next = new BigInteger(m.group(1)).add(BigInteger.ONE).toString();
        return current.substring(0, m.start(1)) + next + current.substring(m.end(1));
    }

    private Optional<Prompt> load(String id) {
        return IdUtils.ensureId(id).flatMap(valid -> db.findOne(SYSTEM_PROMPTS, eq("_id", valid)))
                .map(PromptService::toPrompt);
    }

    private static void checkName(String name) {
        if (name == null || Characters.isBlank(name) || Characters.count(name) > MAX_NAME_LENGTH) {
            throw new ServiceException.Unprocessable("name", "Prompt name must be 1-" + MAX_NAME_LENGTH
                    + " characters and not blank");
        }
    }

    private static void checkText(String prompt) {
        if (prompt == null || prompt.isEmpty() || Characters.count(prompt) > MAX_PROMPT_LENGTH) {
            throw new ServiceException.Unprocessable("prompt", "Prompt must be 1-" + MAX_PROMPT_LENGTH + " characters");
        }
    }

    private static String checkVersion(String version) {
        if (Characters.isBlank(version) || Characters.count(version) > MAX_VERSION_LENGTH) {
            throw new ServiceException.Unprocessable("version", "Version must be 1-" + MAX_VERSION_LENGTH
                    + " characters and not blank");
        }
        return version;
    }

    private static ServiceException.NotFound notFound() {
        return new ServiceException.NotFound("Prompt not found");
    }

    static Prompt toPrompt(Document doc) {
        return new Prompt(doc.id(), doc.getString("name"), doc.getString("prompt"), doc.getString("version"),
                doc.getInstant("created_at"), doc.getInstant("updated_at"));
    }
}
