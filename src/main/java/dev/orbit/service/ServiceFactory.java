package dev.orbit.service;

import dev.orbit.config.AuthConfig;
import dev.orbit.config.LimitsConfig;
import dev.orbit.config.OrbitConfig;
import dev.orbit.config.Secret;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.DatabaseServiceFactory;
import dev.orbit.db.OrbitSchema;
import dev.orbit.config.MonitoringConfig;
import dev.orbit.observability.Metrics;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one place that opens the database service and wires the services on it. {@link #start} bootstraps the
 * default admin and the retention job; {@link #close} stops them and releases the database.
 */
public final class ServiceFactory implements AutoCloseable {
    private final DatabaseService db;
    private final ChatHistorySettings chatHistorySettings;
    private final AuthService auth;
    private final PromptService prompts;
    private final ApiKeyService apiKeys;
    private final ChatHistoryService chatHistory;
    private final Readiness readiness;
    private final FeedbackService feedback;
    private final ThreadService threads;
    private final ConversationService conversations;
    private final QuotaService quotas;
    private final RequestLimits requestLimits;
    private final ServerPause pause;
    private final BlacklistService blacklist;
    private final FollowingAdapterCatalog adapters;
    private final Clock clock;
    private final Metrics metrics;
    private RetentionJob retention;

    public ServiceFactory(DatabaseServiceFactory.Backend backend, AuthSettings authSettings, ApiKeySettings apiKeySettings,
                          PromptSettings promptSettings, ChatHistorySettings chatHistorySettings,
                          AdapterCatalog adapters, Clock clock) {
        this(DatabaseServiceFactory.open(Objects.requireNonNull(backend, "backend"), OrbitSchema.SCHEMA), authSettings,
                apiKeySettings, promptSettings, chatHistorySettings, adapters, clock);
    }

    /**
     * The services on a database the caller has opened (e.g. the gateway, which names the backend in its own
     * start-up error). The factory takes the database over: {@link #close} closes it, and so does a failure here.
     */
    public ServiceFactory(DatabaseService db, AuthSettings authSettings, ApiKeySettings apiKeySettings,
                          PromptSettings promptSettings, ChatHistorySettings chatHistorySettings,
                          AdapterCatalog adapters, Clock clock) {
        this(db, authSettings, apiKeySettings, promptSettings, chatHistorySettings, adapters, ThreadService.DEFAULT_TTL,
                clock);
    }

    /** As above, with conversation threads living {@code threadTtl}. */
    public ServiceFactory(DatabaseService db, AuthSettings authSettings, ApiKeySettings apiKeySettings,
                          PromptSettings promptSettings, ChatHistorySettings chatHistorySettings,
                          AdapterCatalog adapters, Duration threadTtl, Clock clock) {
        this(db, authSettings, apiKeySettings, promptSettings, chatHistorySettings, adapters, threadTtl,
                LimitsConfig.disabled(), clock, Metrics.off());
    }

    /**
     * As above, with quotas and rate limits as {@code limits} says, measured by {@code metrics}: the services see
     * the database through it (every operation timed), and {@link #close} closes it.
     */
    public ServiceFactory(DatabaseService opened, AuthSettings authSettings, ApiKeySettings apiKeySettings,
                          PromptSettings promptSettings, ChatHistorySettings chatHistorySettings,
                          AdapterCatalog adapters, Duration threadTtl, LimitsConfig limits, Clock clock,
                          Metrics metrics) {
        Objects.requireNonNull(opened, "db");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        DatabaseService db = metrics.instrument(opened);
        this.db = db;
        try {
            Objects.requireNonNull(authSettings, "authSettings");
            Objects.requireNonNull(apiKeySettings, "apiKeySettings");
            Objects.requireNonNull(promptSettings, "promptSettings");
            this.chatHistorySettings = Objects.requireNonNull(chatHistorySettings, "chatHistorySettings");
            this.adapters = new FollowingAdapterCatalog(adapters);
            this.clock = Objects.requireNonNull(clock, "clock");
            this.auth = new AuthService(db, authSettings, clock);
            this.prompts = new PromptService(db, promptSettings, clock);
            this.apiKeys = new ApiKeyService(db, apiKeySettings, this.adapters, prompts, clock);
            this.chatHistory = new ChatHistoryService(db, chatHistorySettings, clock);
            this.readiness = new Readiness(db);
            this.feedback = new FeedbackService(db, chatHistory, clock);
            this.threads = new ThreadService(db, chatHistory, threadTtl, clock);
            this.conversations = new ConversationService(chatHistory, threads, feedback);
            SharedCounters counters = new SharedCounters(db);
            this.quotas = new QuotaService(limits.throttling(), apiKeys, counters, clock);
            this.requestLimits = new RequestLimits(quotas, limits.rateLimiting(), counters, clock);
            this.pause = new ServerPause(db, clock);
            this.blacklist = new BlacklistService(db, auth, clock);
        } catch (RuntimeException e) {
            try (metrics) {
                db.close();
            }
            throw e;
        }
    }

    /**
     * The services as the configuration describes them: its backend, {@code auth}, {@code api_keys},
     * {@code chat_history} and {@code adapters} sections, on the system clock. New password hashes use at
     * least 600,000 rounds even if {@code auth.pbkdf2_iterations} (the rounds of legacy hashes) is lower.
     */
    public static ServiceFactory fromConfig(OrbitConfig config) {
        return fromConfig(config, DatabaseServiceFactory.open(config.backend(), OrbitSchema.SCHEMA));
    }

    /** {@link #fromConfig(OrbitConfig)} on a database the caller has opened; the factory takes it over. */
    public static ServiceFactory fromConfig(OrbitConfig config, DatabaseService db) {
        return fromConfig(config, db, auth -> PasswordSettings.defaults(auth.pbkdf2Iterations()), Clock.systemUTC());
    }

    /**
     * {@link #fromConfig(OrbitConfig, DatabaseService)} with what a test must control and the configuration does
     * not say: the cost of password hashing (production's takes most of a second per hash) and the clock.
     */
    public static ServiceFactory fromConfig(OrbitConfig config, DatabaseService db, PasswordSettings passwords,
                                            Clock clock) {
        return fromConfig(config, db, auth -> Objects.requireNonNull(passwords, "passwords"), clock);
    }

    private static ServiceFactory fromConfig(OrbitConfig config, DatabaseService db,
                                             Function<AuthConfig, PasswordSettings> passwords, Clock clock) {
        AuthSettings authSettings;
        ApiKeySettings keySettings;
        ChatHistorySettings historySettings;
        AdapterCatalog adapters;
        Duration threadTtl;
        Metrics metrics;
        LimitsConfig limits;
        try {
            var auth = config.auth();
            authSettings = new AuthSettings(Duration.ofHours(auth.sessionDurationHours()),
                    auth.defaultAdminUsername(), auth.defaultAdminPassword().map(Secret::value).orElse(null),
                    passwords.apply(auth), LoginThrottleSettings.defaults(),
                    Duration.ofSeconds(auth.blacklistCacheTtlSeconds()));
            keySettings = new ApiKeySettings(config.apiKeys().prefix(), ApiKeySettings.defaults().cacheTtl(),
                    ApiKeySettings.defaults().cacheEntries());
            var history = config.chatHistory();
            ChatHistorySettings defaults = ChatHistorySettings.defaults();
            historySettings = new ChatHistorySettings(history.enabled(), history.retentionDays(),
                    Math.min(history.defaultLimit(), ChatHistoryService.MAX_LIMIT), defaults.maxMessagesPerSession(),
                    defaults.retentionBatchSize(), defaults.retentionInterval());
            adapters = AdapterCatalog.fromConfig(config.adapters());
            threadTtl = config.clients().threadTtl();
            metrics = Metrics.fromConfig(MonitoringConfig.read(config.raw()));
            limits = LimitsConfig.read(config.raw());
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return new ServiceFactory(db, authSettings, keySettings, PromptSettings.defaults(), historySettings, adapters,
                threadTtl, limits, clock, metrics);
    }

    /**
     * Creates the default admin if missing (a generated password is printed to {@code console} once, never
     * logged) and starts the chat history retention job when retention is on.
     */
    public synchronized void start(PrintStream console) {
        Optional<String> generated = auth.bootstrap();
        generated.ifPresent(password -> {
            console.println("Created the default admin account. Its generated password (shown only now): " + password);
            console.println("Set ORBIT_DEFAULT_ADMIN_PASSWORD to choose it instead, and change it after logging in.");
        });
        if (retention == null && chatHistorySettings.retentionDays() > 0) {
            retention = RetentionJob.start(chatHistory, chatHistorySettings.retentionInterval());
        }
    }

    public DatabaseService database() {
        return db;
    }

    public AuthService auth() {
        return auth;
    }

    public PromptService prompts() {
        return prompts;
    }

    public ApiKeyService apiKeys() {
        return apiKeys;
    }

    public ChatHistoryService chatHistory() {
        return chatHistory;
    }

    public FeedbackService feedback() {
        return feedback;
    }

    public ThreadService threads() {
        return threads;
    }

    public ConversationService conversations() {
        return conversations;
    }

    /** Whether chat is paused, on every gateway of the database ({@code POST /admin/pause}). */
    public ServerPause pause() {
        return pause;
    }

    /**
     * Makes the API key checks ask {@code live} which adapters exist and are enabled, instead of the configuration
     * read at start: the gateway passes the adapters in force, which {@code POST /admin/reload-adapters} replaces.
     */
    public void followAdapters(AdapterCatalog live) {
        adapters.follow(live);
    }

    /** The login blacklist's rules ({@code /auth/blacklist}). */
    public BlacklistService blacklist() {
        return blacklist;
    }

    /** Conversations across keys and users, for administrators (stateless: made on each call). */
    public SessionDirectory sessionDirectory() {
        return new SessionDirectory(db, apiKeys, conversations, feedback);
    }

    /** The database and process facts of the admin console's overview (stateless: made on each call). */
    public SystemOverview overview() {
        return new SystemOverview(db, clock);
    }

    /** Per-key quotas (the admin routes). */
    public QuotaService quotas() {
        return quotas;
    }

    /** Admission of chat requests against quotas and rate limits. */
    public RequestLimits requestLimits() {
        return requestLimits;
    }

    public Readiness readiness() {
        return readiness;
    }

    /** The gateway's meters ({@code /metrics}). */
    public Metrics metrics() {
        return metrics;
    }

    /** The clock the services run on, for the routes to use the same time. */
    public Clock clock() {
        return clock;
    }

    @Override
    public synchronized void close() {
        try (Metrics measuring = metrics; DatabaseService closing = db; AuthService hashing = auth) {
            if (retention != null) {
                retention.close();
                retention = null;
            }
        }
    }
}
