package dev.orbit.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orbit.StartupException;
import dev.orbit.config.GeneralConfig;
import dev.orbit.config.HttpConfig;
import dev.orbit.json.SharedJsonBuffers;
import dev.orbit.observability.HttpMetrics;
import dev.orbit.config.TrustedProxies;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * The gateway's HTTP server: Javalin on virtual threads with one error shape, a request id and an access-log
 * line for every request, optional CORS, and a graceful stop. Built and started once by {@link #start};
 * afterwards it exposes only its port and {@link #close}.
 */
public final class HttpServer implements AutoCloseable {
    /** How long {@link #close} lets requests in progress finish (a streamed chat reply, typically). */
    static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration SHUTDOWN_IDLE = Duration.ofMillis(50);

    private final Javalin app;

    private HttpServer(Javalin app) {
        this.app = app;
    }

    /**
     * Starts a server on {@code general}'s host and port (0 picks a free port) with the routes {@code routes} adds.
     * {@code apiKeyPrefix} is that of generated API keys ({@code api_keys.prefix}), so that logs mask them.
     *
     * @throws StartupException if the address cannot be bound (e.g. the port is in use)
     */
    public static HttpServer start(GeneralConfig general, HttpConfig http, String apiKeyPrefix,
                                   Consumer<RoutesConfig> routes) {
        return start(general, http, apiKeyPrefix, TrustedProxies.NONE, routes, Optional.empty());
    }

    /**
     * As above; {@code ctx.ip()} is the client's address by {@code proxies}' one rule (the socket's peer unless a
     * trusted proxy, then the right-most untrusted {@code X-Forwarded-For} hop), for every route, throttle and log;
     * every request is counted in {@code metrics} when given.
     */
    public static HttpServer start(GeneralConfig general, HttpConfig http, String apiKeyPrefix, TrustedProxies proxies,
                                   Consumer<RoutesConfig> routes, Optional<HttpMetrics> metrics) {
        Optional<RequestMetrics> requests = metrics.map(RequestMetrics::new);
        Javalin app = Javalin.create(config -> {
            if (!proxies.isEmpty()) {
                config.contextResolver.ip = ctx -> proxies.clientAddress(ctx.req().getRemoteAddr(),
                        java.util.Collections.list(ctx.req().getHeaders("X-Forwarded-For")));
            }
            config.appData(LogPaths.KEY, new LogPaths(apiKeyPrefix));
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.addConnector((server, httpConfiguration) -> openConnector(server, httpConfiguration, general));
            config.jetty.modifyServer(HttpServer::graceful);
            config.http.maxRequestSize = http.maxBodyBytes();
            config.http.prefer405over404 = true;
            ReplyEncoding.configure(config.http);
            ObjectMapper replies = JavalinJackson.defaultMapper();
            replies.getFactory().setRecyclerPool(SharedJsonBuffers.POOL);
            config.jsonMapper(new JavalinJackson(replies, true));
            cors(config, http);
            config.routes.before(RequestIds::assign);
            requests.ifPresent(counted -> {
                config.routes.before(counted::begin);
                config.requestLogger.http(counted::end);
            });
            config.requestLogger.http(AccessLog::log);
            routes.accept(config.routes);
            ErrorMapper.register(config.routes);
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            app.stop();
            throw e;
        }
        return new HttpServer(app);
    }

    // Stopping waits for requests in progress (up to STOP_GRACE) instead of cutting them off; errors Jetty
    // raises itself (malformed URIs) get the same JSON shape as ours.
    private static void graceful(Server server) {
        GracefulHandler handler = new GracefulHandler();
        // Idle keep-alive connections are closed this soon once stopping begins (Jetty's default is 1 s).
        handler.setShutdownIdleTimeout(SHUTDOWN_IDLE.toMillis());
        server.setHandler(handler);
        server.setStopTimeout(STOP_GRACE.toMillis());
        server.setErrorHandler(new JsonErrorHandler());
    }

    private static void cors(JavalinConfig config, HttpConfig http) {
        if (http.corsAllowedOrigins().isEmpty()) {
            return;
        }
        config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
            if (http.corsAllowedOrigins().contains("*")) {
                rule.anyHost();
            } else {
                http.corsAllowedOrigins().forEach(origin -> rule.allowHost(origin));
            }
            rule.exposeHeader(RequestIds.HEADER);
        }));
    }

    // Bound here, before Javalin starts Jetty: Javalin would also log a failure of its own bind, and the
    // operator should see one line, ours.
    private static ServerConnector openConnector(Server server, HttpConfiguration configuration, GeneralConfig general) {
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(configuration));
        connector.setHost(general.host());
        connector.setPort(general.port());
        try {
            connector.open();
        } catch (IOException e) {
            throw new StartupException(ListenAddress.problem(general, e), e);
        }
        return connector;
    }

    /** The port the server listens on (the real one when 0 was asked for). */
    public int port() {
        return app.port();
    }

    /** Stops accepting requests, lets those in progress finish (within a grace period), and shuts down. Idempotent. */
    @Override
    public void close() {
        app.stop();
    }
}
