package dev.orbit.http;

import dev.orbit.config.AuditConfig;
import dev.orbit.config.LimitsConfig;
import dev.orbit.config.OrbitConfig;
import dev.orbit.inference.AdapterRegistry;
import dev.orbit.observability.LogFiles;
import dev.orbit.service.AuditServices;
import dev.orbit.service.ServiceFactory;
import io.javalin.config.RoutesConfig;
import java.util.function.Consumer;

/** Every route of the ORBIT API ({@code orbit-api.md}), wired to the services. */
public final class OrbitRoutes {
    private OrbitRoutes() {
    }

    /**
     * The routes for {@link HttpServer#start}. {@code shutdown} stops the whole gateway; {@code POST
     * /admin/shutdown} runs it on a thread of its own once the reply is sent.
     */
    public static Consumer<RoutesConfig> of(OrbitConfig config, ServiceFactory services, AdapterRegistry adapters,
                                            Runnable shutdown) {
        return of(config, services, AuditServices.fromConfig(AuditConfig.disabled(), services.database(),
                services.clock()), adapters, shutdown);
    }

    /** {@link #of} with the audit and usage services (admin audit hooks, chat audit, the audit routes). */
    public static Consumer<RoutesConfig> of(OrbitConfig config, ServiceFactory services, AuditServices audit,
                                            AdapterRegistry adapters, Runnable shutdown) {
        Access access = new Access(services.auth(), services.apiKeys(), config.auth().apiKeyAdminAccess(),
                config.apiKeys().headerName());
        JsonBodies bodies = new JsonBodies(config.http().maxBodyBytes());
        RunningTurns running = new RunningTurns();
        LimitsConfig limits = LimitsConfig.read(config.raw());
        ChatPipeline chat = new ChatPipeline(services.apiKeys(), services.auth(), services.chatHistory(), adapters,
                access, running, new ChatLimits(services.requestLimits(), limits),
                config.general().sessionId().headerName(), config.general().sessionId().required(),
                new ProviderTiming(services.metrics()));
        ClientKeys keys = new ClientKeys(services.apiKeys(), services.auth(), access);
        ChatAudit chatAudit = new ChatAudit(audit, services.quotas(), services.metrics(), services.clock());
        return routes -> {
            if (audit.settings().adminEnabled()) {
                new AdminAudit(audit.audit(), services.auth(), access, services.clock()).register(routes);
            }
            new PauseGate(services.pause()).register(routes);
            // The chat first: Javalin tries a request's path against its method's routes in the order they were
            // registered, a regular expression each, and the chat routes carry nearly all of a gateway's requests.
            new ChatRoutes(chat, bodies,
                    name -> adapters.capabilities(name).supportsThreading(), chatAudit)
                    .register(routes);
            new CompletionRoutes(chat, bodies, services.clock(), chatAudit).register(routes);
            new SystemRoutes(services.apiKeys(), services.pause(), access, shutdown, services.clock()).register(routes);
            new MetricsRoutes(services.metrics(), access).register(routes);
            new LogRoutes(access, LogFiles::active).register(routes);
            new AuthRoutes(services.auth(), access, bodies).register(routes);
            new BlacklistRoutes(services.blacklist(), access, bodies).register(routes);
            new ApiKeyRoutes(services.apiKeys(), access, bodies).register(routes);
            new QuotaRoutes(services.quotas(), access, bodies).register(routes);
            new PromptRoutes(services.prompts(), access, bodies).register(routes);
            new ChatHistoryRoutes(services.chatHistory(), services.apiKeys(), access,
                    config.general().sessionId().headerName()).register(routes);
            new AuditRoutes(audit, access).register(routes);
            new ClientRoutes(keys, adapters, services.readiness()).register(routes);
            new AdapterAdminRoutes(adapters, config.source(), access, services.clock()).register(routes);
            new ConversationRoutes(services.conversations(), running, keys, bodies,
                    config.general().sessionId().headerName()).register(routes);
            new FeedbackRoutes(services.feedback(), keys, bodies).register(routes);
            new ThreadRoutes(services.threads(), keys, bodies).register(routes);
            new ConsoleRoutes(services.auth()).register(routes);
            new SessionRoutes(services.sessionDirectory(), access).register(routes);
            new OverviewRoutes(services.overview(), access).register(routes);
        };
    }
}
