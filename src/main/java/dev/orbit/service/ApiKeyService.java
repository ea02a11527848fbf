package dev.orbit.service;

import static dev.orbit.db.Filters.and;
import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.OrbitSchema.API_KEYS;
import static dev.orbit.db.Updates.combine;
import static dev.orbit.db.Updates.set;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.DuplicateKeyException;
import dev.orbit.db.Filter;
import dev.orbit.db.FindOptions;
import dev.orbit.db.IdUtils;
import dev.orbit.db.Sort;
import dev.orbit.db.Update;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API keys: {@code prefix} + 32 random characters of {@code [A-Za-z0-9]}, shown once and stored as SHA-256
 * with a display tail. Legacy plaintext keys are found, work, and are converted to the hashed form when first
 * used. {@link #validate} is the hot path of every chat request and is cached by the key's SHA-256 (never the
 * key): a change made here takes effect at once, one made by another process within the cache TTL (≤ 2 s).
 */
public final class ApiKeyService {
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyService.class);
    public static final String INVALID_KEY = "Invalid or missing API key";
    static final int RANDOM_LENGTH = 32;
    private static final int MAX_KEY_LENGTH = 256;
    /**
     * Failed key lookups per client address: 20 free, then the address is refused (429) for 1 s, doubling with
     * each further invalid key up to 5 minutes; forgotten after 15 quiet minutes. Counted on the database's shared
     * counters, so for every gateway at once; a block set by another gateway is seen here within {@link #BLOCKS_TTL}.
     */
    static final FailureCounter.Policy INVALID_KEYS = new FailureCounter.Policy(20, Duration.ofSeconds(1),
            Duration.ofMinutes(5), Duration.ofMinutes(15));
    private static final int MAX_TRACKED_ADDRESSES = 100_000;
    /** How long this gateway trusts what it read of an address's block (the read is off the hot path within it). */
    static final Duration BLOCKS_TTL = Duration.ofSeconds(1);
    /** One '@' between two non-empty parts, no whitespace or control characters (any script's). */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s\\p{Cntrl}]+@[^@\\s\\p{Cntrl}]+",
            Pattern.UNICODE_CHARACTER_CLASS);
    private static final int MAX_PAGE = 1000;
    private static final int TAIL = ApiKey.SHOWN;

    private final DatabaseService db;
    private final ApiKeySettings settings;
    private final AdapterCatalog adapters;
    private final PromptService prompts;
    private final Clock clock;
    private final ExpiringCache<String, Optional<ApiKey>> cache;
    private final FailureCounter invalidKeys;
    private final ExpiringCache<String, Optional<Instant>> blocks;

    public ApiKeyService(DatabaseService db, ApiKeySettings settings, AdapterCatalog adapters, PromptService prompts,
                         Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.adapters = Objects.requireNonNull(adapters, "adapters");
        this.prompts = Objects.requireNonNull(prompts, "prompts");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cache = new ExpiringCache<>(clock, settings.cacheTtl(), settings.cacheEntries());
        this.invalidKeys = new FailureCounter(db, "apikey:");
        this.blocks = new ExpiringCache<>(clock, BLOCKS_TTL, MAX_TRACKED_ADDRESSES);
    }

    /**
     * The key may serve a chat request for this caller: it exists, is active, its adapter is configured and
     * enabled (else 401 "Invalid or missing API key"), and its allow-lists, if any, name the caller's user id
     * or e-mail (else 403; a caller without identity is refused when lists are set).
     */
    public ValidatedApiKey validate(String apiKey, CallerIdentity caller) {
        return validate(apiKey, caller, null);
    }

    /** {@link #validate(String, CallerIdentity)} for a client at {@code clientAddress}, throttled as {@link #authenticate(String, String)}. */
    public ValidatedApiKey validate(String apiKey, CallerIdentity caller, String clientAddress) {
        ValidatedApiKey valid = authenticate(apiKey, clientAddress);
        ApiKey key = valid.key();
        if (!key.allowedUserIds().isEmpty() || !key.allowedEmails().isEmpty()) {
            CallerIdentity who = caller == null ? CallerIdentity.NONE : caller;
            boolean byId = who.userId() != null && key.allowedUserIds().contains(who.userId().strip());
            boolean byEmail = who.email() != null && key.allowedEmails().contains(normalizeEmail(who.email()));
            if (!byId && !byEmail) {
                throw new ServiceException.Forbidden("This API key is not authorized for this user");
            }
        }
        return valid;
    }

    /** {@link #validate} without the allow-list check, for a caller without a client address (not throttled). */
    public ValidatedApiKey authenticate(String apiKey) {
        return authenticate(apiKey, null);
    }

    /**
     * {@link #validate} without the allow-list check (e.g. {@code /health} with a key): 401 unless usable. Keys
     * that are not found or inactive count against {@code clientAddress} ({@link #INVALID_KEYS}); while it is
     * blocked every key from it is refused with 429 before any lookup, so keys cannot be tried by the thousand.
     * Other addresses are not affected. A null address is not throttled (callers inside the process).
     */
    public ValidatedApiKey authenticate(String apiKey, String clientAddress) {
        Instant now = clock.instant();
        String address = refuseBlockedAddress(clientAddress, now);
        if (apiKey == null || apiKey.isEmpty() || apiKey.length() > MAX_KEY_LENGTH) {
            throw new ServiceException.Unauthorized(INVALID_KEY);
        }
        ApiKeyFingerprint fingerprint = ApiKeyFingerprint.of(apiKey); // the cache's key: never the key itself
        Optional<ApiKey> found = cache.get(fingerprint.sha256(), hash -> findByKey(apiKey).map(this::toApiKey))
                .filter(ApiKey::active);
        if (found.isEmpty()) {
            countInvalidKey(address, now);
            throw new ServiceException.Unauthorized(INVALID_KEY);
        }
        ApiKey key = found.get();
        AdapterCatalog.Adapter adapter = adapters.find(key.adapterName()).filter(AdapterCatalog.Adapter::enabled)
                .orElseThrow(() -> new ServiceException.Unauthorized(INVALID_KEY));
        Prompt prompt = key.systemPromptId() == null ? null : prompts.find(key.systemPromptId()).orElse(null);
        return new ValidatedApiKey(key, fingerprint, adapter, prompt);
    }

    /** Creates an active key; the reply holds the full key, which is not stored. */
    public CreatedApiKey create(ApiKeyRequest request) {
        checkRequired(request);
        checkAdapter(request.adapterName());
        if (request.systemPromptId() != null) {
            prompts.get(request.systemPromptId());
        }
        String key = settings.prefix() + Secrets.randomAlphanumeric(RANDOM_LENGTH);
        Document doc = Document.of("api_key", Secrets.storedHash(key), "api_key_tail", tail(key),
                "client_name", request.clientName(), "notes", emptyToNull(request.notes()), "active", true,
                "created_at", clock.instant(), "adapter_name", request.adapterName(),
                "system_prompt_id", emptyToNull(request.systemPromptId()),
                "allowed_user_ids", nullIfEmpty(normalizeIds(request.allowedUserIds())),
                "allowed_emails", nullIfEmpty(normalizeEmails(request.allowedEmails())));
        doc.put("_id", db.insertOne(API_KEYS, doc));
        cache.invalidateAll(); // a miss for this key may be cached
        return new CreatedApiKey(key, toApiKey(doc));
    }

    /** Keys, newest first, optionally of one adapter or only active ones; limit 1..1000. */
    public List<ApiKey> list(String adapterName, boolean activeOnly, int limit, int offset) {
        List<Filter> filters = new ArrayList<>();
        if (adapterName != null && !adapterName.isBlank()) {
            filters.add(eq("adapter_name", adapterName));
        }
        if (activeOnly) {
            filters.add(eq("active", true));
        }
        Paging page = Paging.clamp(limit, offset, MAX_PAGE);
        FindOptions options = FindOptions.sortedBy(Sort.descending("created_at", "_id")).skip(page.offset())
                .limit(page.limit());
        return db.findMany(API_KEYS, and(filters), options).stream().map(this::toApiKey).map(this::withPromptName)
                .toList();
    }

    /** One key by record id or by the key itself; 404 "API key not found". */
    public ApiKey detail(String idOrKey) {
        return withPromptName(toApiKey(require(idOrKey)));
    }

    /** The SHA-256 hex the chat history knows a key by (by record id or by the key); 404 for no such key. */
    public String historyFingerprint(String idOrKey) {
        return fingerprintOf(require(idOrKey));
    }

    /** The key the chat history knows by this SHA-256 hex, if it still exists (listed as admins see keys). */
    public Optional<ApiKey> byHistoryFingerprint(String sha256) {
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            return Optional.empty();
        }
        return db.findOne(API_KEYS, eq("api_key", Secrets.HASH_PREFIX + sha256)).map(this::toApiKey);
    }

    /** Whether the key exists and what it is tied to; never 404. */
    public ApiKeyStatus status(String idOrKey) {
        return statusOf(resolve(idOrKey));
    }

    /**
     * {@link #status} of a key looked up only by its value (never by record id): what a client holding the key
     * may learn about it. An inactive key is {@code exists=true, active=false}.
     */
    public ApiKeyStatus statusOfKey(String apiKey, String clientAddress) {
        Instant now = clock.instant();
        String address = refuseBlockedAddress(clientAddress, now);
        if (apiKey == null || apiKey.isEmpty() || apiKey.length() > MAX_KEY_LENGTH) {
            return ApiKeyStatus.MISSING;
        }
        ApiKeyStatus status = statusOf(findByKey(apiKey));
        if (!status.exists() || !status.active()) {
            // As for authenticate: asking about keys must not be a way around the invalid-key throttle.
            countInvalidKey(address, now);
        }
        return status;
    }

    /**
     * 429 while the client's address (its /64 for IPv6) is blocked for invalid keys; returns the address's
     * throttle key, or null for a caller without address (inside the process, not throttled).
     */
    private String refuseBlockedAddress(String clientAddress, Instant now) {
        String network = ClientAddresses.throttleKey(clientAddress);
        String address = network == null ? null : "k:" + network;
        if (address != null) {
            FailureCounter.refuseUntil(blocks.get(address, a -> Optional.ofNullable(invalidKeys.blockedUntil(a, now)))
                    .filter(until -> until.isAfter(now)).orElse(null), now, "Too many invalid API keys");
        }
        return address;
    }

    private void countInvalidKey(String address, Instant now) {
        if (address != null) {
            invalidKeys.failed(address, INVALID_KEYS, now);
            blocks.invalidateAll(); // this gateway sees its own count at once
        }
    }

    private ApiKeyStatus statusOf(Optional<Document> found) {
        if (found.isEmpty()) {
            return ApiKeyStatus.MISSING;
        }
        ApiKey key = toApiKey(found.get());
        ApiKeyStatus.PromptLink link = key.systemPromptId() == null ? null
                : new ApiKeyStatus.PromptLink(key.systemPromptId(), promptExists(key.systemPromptId()));
        return new ApiKeyStatus(true, key.active(), key.adapterName(), key.clientName(), key.createdAt(), link);
    }

    /**
     * Replaces the key's secret with {@code newKey} (422 unless {@link RenamedKeys#strongEnough}, 409 if that key
     * exists) and returns its masked form. Chat sessions owned by the old key move to the new one.
     */
    public String rename(String idOrKey, String newKey) {
        if (!RenamedKeys.strongEnough(newKey, settings.prefix())) {
            throw new ServiceException.Unprocessable("new_api_key", RenamedKeys.rule(settings.prefix()));
        }
        Document doc = require(idOrKey);
        if (findByKey(newKey).isPresent()) {
            throw new ServiceException.Conflict("API key already exists");
        }
        String oldFingerprint = fingerprintOf(doc);
        try {
            db.updateOne(API_KEYS, eq("_id", doc.id()), combine(set("api_key", Secrets.storedHash(newKey)),
                    set("api_key_tail", tail(newKey))));
        } catch (DuplicateKeyException e) {
            throw new ServiceException.Conflict("API key already exists");
        } finally {
            cache.invalidateAll();
        }
        if (oldFingerprint != null) {
            ChatHistoryService.transferOwnership(db, oldFingerprint, Secrets.sha256Hex(newKey));
        }
        return ApiKey.mask(newKey);
    }

    /** Sets client, adapter and the optional fields given; 404 key or prompt, 400 unknown adapter. */
    public void update(String idOrKey, ApiKeyRequest request) {
        Document doc = require(idOrKey);
        checkRequired(request);
        checkAdapter(request.adapterName());
        List<Update> changes = new ArrayList<>();
        changes.add(set("client_name", request.clientName()));
        changes.add(set("adapter_name", request.adapterName()));
        if (request.notes() != null) {
            changes.add(set("notes", emptyToNull(request.notes())));
        }
        if (request.systemPromptId() != null) {
            if (!request.systemPromptId().isEmpty()) {
                prompts.get(request.systemPromptId());
            }
            changes.add(set("system_prompt_id", emptyToNull(request.systemPromptId())));
        }
        if (request.allowedUserIds() != null) {
            changes.add(set("allowed_user_ids", nullIfEmpty(normalizeIds(request.allowedUserIds()))));
        }
        if (request.allowedEmails() != null) {
            changes.add(set("allowed_emails", nullIfEmpty(normalizeEmails(request.allowedEmails()))));
        }
        change(doc, combine(changes));
    }

    public void deactivate(String idOrKey) {
        change(require(idOrKey), set("active", false));
    }

    public void delete(String idOrKey) {
        Document doc = require(idOrKey);
        boolean deleted = db.deleteOne(API_KEYS, eq("_id", doc.id()));
        cache.invalidateAll();
        if (!deleted) {
            throw notFound();
        }
    }

    /**
     * Sets the key's own quota settings named in {@code settings} (keys of {@link KeyQuota#FIELDS}; a null value
     * removes the key's own setting, so the default applies again); the others are kept. Returns the key as stored
     * before the change; 404 "API key not found".
     */
    public ApiKey updateQuota(String idOrKey, Map<String, Object> settings) {
        Document doc = require(idOrKey);
        List<Update> changes = new ArrayList<>();
        settings.forEach((name, value) -> changes.add(set(Objects.requireNonNull(KeyQuota.FIELDS.get(name),
                () -> "not a quota setting: " + name), value)));
        if (!changes.isEmpty()) {
            change(doc, combine(changes));
        }
        return toApiKey(doc);
    }

    /** Ties the key to a prompt; 404 for either. */
    public void associatePrompt(String idOrKey, String promptId) {
        Document doc = require(idOrKey);
        Prompt prompt = prompts.get(promptId);
        change(doc, set("system_prompt_id", prompt.id()));
    }

    /** Trimmed, lower-cased, de-duplicated e-mails in their first order; blanks dropped. */
    static List<String> normalizeEmails(List<String> emails) {
        if (emails == null) {
            return List.of();
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String email : emails) {
            String normalized = email == null ? "" : normalizeEmail(email);
            if (normalized.isEmpty()) {
                continue;
            }
            // An entry that can never match a caller is a typo that would silently lock everyone out.
            if (!EMAIL.matcher(normalized).matches()) {
                throw new ServiceException.Unprocessable("allowed_emails",
                        "Each allowed email must look like name@domain, without spaces or control characters");
            }
            out.add(normalized);
        }
        return List.copyOf(out);
    }

    private void change(Document doc, Update update) {
        long matched;
        try {
            matched = db.updateOne(API_KEYS, eq("_id", doc.id()), update).matchedCount();
        } finally {
            cache.invalidateAll();
        }
        if (matched == 0) {
            throw notFound(); // deleted meanwhile
        }
    }

    private Document require(String idOrKey) {
        return resolve(idOrKey).orElseThrow(ApiKeyService::notFound);
    }

    /** By record id first, then by the key itself (admins and the reference CLI send either). */
    private Optional<Document> resolve(String idOrKey) {
        if (idOrKey == null || idOrKey.isEmpty() || idOrKey.length() > MAX_KEY_LENGTH) {
            return Optional.empty();
        }
        Optional<Document> byId = IdUtils.ensureId(idOrKey).flatMap(id -> db.findOne(API_KEYS, eq("_id", id)));
        return byId.isPresent() ? byId : findByKey(idOrKey);
    }

    /**
     * The record of this key: by its hash, else (legacy) by the plaintext, which is then converted. A value
     * of the stored-hash form is never looked up as-is, so a leaked hash does not work as a key.
     */
    private Optional<Document> findByKey(String key) {
        Optional<Document> hashed = db.findOne(API_KEYS, eq("api_key", Secrets.storedHash(key)));
        if (hashed.isPresent() || Secrets.isStoredHash(key)) {
            return hashed;
        }
        Optional<Document> legacy = db.findOne(API_KEYS, eq("api_key", key));
        legacy.ifPresent(doc -> {
            convertLegacy(doc, key);
            doc.put("api_key", Secrets.storedHash(key)).put("api_key_tail", tail(key));
        });
        return legacy;
    }

    private void convertLegacy(Document doc, String key) {
        try {
            db.updateOne(API_KEYS, and(eq("_id", doc.id()), eq("api_key", key)),
                    combine(set("api_key", Secrets.storedHash(key)), set("api_key_tail", tail(key))));
            LOG.info("converted legacy plaintext API key {} to the hashed form", doc.id());
        } catch (DuplicateKeyException e) {
            // The hashed form is stored already (a concurrent conversion): nothing left to do.
        }
    }

    /** The SHA-256 hex the chat history knows this key by, or null if the stored value is neither form. */
    private static String fingerprintOf(Document doc) {
        String stored = doc.getString("api_key");
        if (stored == null) {
            return null;
        }
        return Secrets.isStoredHash(stored) ? stored.substring(Secrets.HASH_PREFIX.length()) : Secrets.sha256Hex(stored);
    }

    private void checkRequired(ApiKeyRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.clientName() == null || Characters.isBlank(request.clientName())) {
            throw new ServiceException.Unprocessable("client_name", "client_name is required");
        }
        if (request.adapterName() == null || Characters.isBlank(request.adapterName())) {
            throw new ServiceException.Unprocessable("adapter_name", "adapter_name is required");
        }
    }

    private void checkAdapter(String name) {
        if (adapters.find(name).isEmpty()) {
            throw new ServiceException.InvalidInput("Adapter '" + name + "' not found in configuration");
        }
    }

    private boolean promptExists(String id) {
        try {
            prompts.get(id);
            return true;
        } catch (ServiceException.NotFound e) {
            return false;
        }
    }

    private ApiKey withPromptName(ApiKey key) {
        if (key.systemPromptId() == null) {
            return key;
        }
        return key.withSystemPromptName(prompts.find(key.systemPromptId()).map(Prompt::name).orElse(null));
    }

    private ApiKey toApiKey(Document doc) {
        String stored = doc.getString("api_key");
        String tail = doc.getString("api_key_tail");
        if (tail == null && stored != null && !Secrets.isStoredHash(stored)) {
            tail = tail(stored); // a legacy plaintext key not converted yet
        }
        return new ApiKey(doc.id(), ApiKey.MASK + (tail == null ? "" : tail), doc.getString("client_name"),
                doc.getString("notes"), doc.getBoolean("active", true), doc.getInstant("created_at"),
                doc.getString("adapter_name"), doc.getString("system_prompt_id"), null,
                doc.getStringList("allowed_user_ids"), doc.getStringList("allowed_emails"),
                new KeyQuota(doc.getLong("quota_daily_limit"), doc.getLong("quota_monthly_limit"),
                        doc.getBoolean("quota_throttle_enabled"), doc.getLong("quota_throttle_priority"),
                        doc.getLong("quota_daily_token_limit"), doc.getLong("quota_monthly_token_limit"),
                        doc.getDouble("quota_monthly_cost_limit")));
    }

    private static String tail(String key) {
        return key.length() <= TAIL ? key : key.substring(key.length() - TAIL);
    }

    private static String normalizeEmail(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    private static List<String> normalizeIds(List<String> ids) {
        if (ids == null) {
            return List.of();
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String id : ids) {
            if (id != null && !id.isBlank()) {
                out.add(id.strip());
            }
        }
        return List.copyOf(out);
    }

    private static List<String> nullIfEmpty(List<String> list) {
        return list.isEmpty() ? null : list;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static ServiceException.NotFound notFound() {
        return new ServiceException.NotFound("API key not found");
    }
}
