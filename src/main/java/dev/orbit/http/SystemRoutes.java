package dev.orbit.http;

import static dev.orbit.http.Json.iso;
import static dev.orbit.http.Json.object;

import dev.orbit.service.ApiKeyService;
import dev.orbit.service.ServerPause;
import dev.orbit.service.User;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /health} (no credential; a key that is sent must be valid), and {@code /admin/info},
 * {@code /admin/shutdown}, {@code /admin/pause} and {@code /admin/resume} ({@code system.manage}).
 */
final class SystemRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(SystemRoutes.class);
    private static final String SYSTEM_MANAGE = "system.manage";
    private static final Map<String, Object> OK = Map.of("status", "ok");

    private final ApiKeyService apiKeys;
    private final ServerPause pause;
    private final Access access;
    private final Runnable shutdown;
    private final Clock clock;

    /** {@code shutdown} stops the whole gateway; it is started after the reply has been sent. */
    SystemRoutes(ApiKeyService apiKeys, ServerPause pause, Access access, Runnable shutdown, Clock clock) {
        this.apiKeys = apiKeys;
        this.pause = pause;
        this.access = access;
        this.shutdown = shutdown;
        this.clock = clock;
    }

    void register(RoutesConfig routes) {
        routes.get("/health", this::health);
        // Javalin answers HEAD for a GET route itself, 200 text/plain, without running it; monitors probing with
        // HEAD get the GET's answer (status, JSON type, key check) and Jetty leaves the body out.
        routes.head("/health", this::health);
        routes.get("/admin/info", this::info);
        routes.post("/admin/shutdown", this::shutdown);
        routes.post("/admin/pause", ctx -> {
            pause.pause(actor(access.admin(ctx, SYSTEM_MANAGE)));
            ctx.json(object("status", "success", "message", "Server paused", "timestamp", iso(clock.instant())));
        });
        routes.post("/admin/resume", ctx -> {
            pause.resume(actor(access.admin(ctx, SYSTEM_MANAGE)));
            ctx.json(object("status", "success", "message", "Server resumed", "timestamp", iso(clock.instant())));
        });
    }

    private void health(Context ctx) {
        String key = access.apiKey(ctx);
        if (key != null) {
            apiKeys.authenticate(key, ctx.ip()); // a key that is sent is checked: `orbit key test` relies on a true answer
        }
        ctx.json(OK);
    }

    private void info(Context ctx) {
        access.admin(ctx, SYSTEM_MANAGE);
        ctx.json(object("pid", ProcessHandle.current().pid(), "version", version(), "status",
                pause.isPaused() ? "paused" : "running"));
    }

    /** Who called an admin route, for the log and the stored flag: a user by name, or an API key. */
    private static String actor(Optional<User> user) {
        return user.map(u -> "user '" + u.username() + "'").orElse("an API key");
    }

    private void shutdown(Context ctx) throws IOException {
        String who = actor(access.admin(ctx, SYSTEM_MANAGE));
        LOG.info("shutdown requested by {} (request {})", who, RequestIds.of(ctx));
        // Written and flushed here, not through ctx.json: the stop must begin only once the client has its answer.
        byte[] body = ctx.jsonMapper().toJsonString(object("status", "success", "message", "Shutting down",
                "timestamp", iso(clock.instant())), Map.class).getBytes(StandardCharsets.UTF_8);
        ctx.contentType("application/json");
        ctx.res().setContentLength(body.length);
        ctx.res().getOutputStream().write(body);
        ctx.res().flushBuffer();
        Thread.ofPlatform().name("orbit-admin-shutdown").start(shutdown);
    }

    static String version() {
        return Optional.ofNullable(SystemRoutes.class.getPackage().getImplementationVersion()).orElse("dev");
    }
}
