package dev.orbit.http;

import static dev.orbit.http.Json.iso;
import static dev.orbit.http.Json.object;

import dev.orbit.config.ConfigException;
import dev.orbit.config.ConfigSource;
import dev.orbit.config.OrbitConfig;
import dev.orbit.inference.AdapterRegistry;
import dev.orbit.service.ServiceException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /admin/reload-adapters} ({@code adapters.manage}, as the reference): reads the configuration file
 * again, checks all of it as at start-up, and puts its adapters, provider settings and capabilities in force in
 * one step. An invalid file changes nothing and the 400 says why. Only this gateway reloads; other sections of
 * the file take effect at the next start.
 */
final class AdapterAdminRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(AdapterAdminRoutes.class);
    private static final String ADAPTERS_MANAGE = "adapters.manage";

    private final AdapterRegistry adapters;
    private final ConfigSource source;
    private final Access access;
    private final Clock clock;

    AdapterAdminRoutes(AdapterRegistry adapters, ConfigSource source, Access access, Clock clock) {
        this.adapters = adapters;
        this.source = source;
        this.access = access;
        this.clock = clock;
    }

    void register(RoutesConfig routes) {
        routes.post("/admin/reload-adapters", this::reload);
    }

    private void reload(Context ctx) {
        access.admin(ctx, ADAPTERS_MANAGE);
        OrbitConfig config;
        try {
            config = source.read();
        } catch (ConfigException e) {
            throw new ServiceException.InvalidInput("Adapters not reloaded, nothing changed: " + e.getMessage());
        }
        AdapterRegistry.Changes changes = adapters.replace(config.adapters(), config.clients().capabilities());
        String message = "Adapters reloaded: " + changes.added().size() + " added, " + changes.removed().size()
                + " removed, " + changes.updated().size() + " updated, " + changes.total() + " total";
        LOG.info("{} (request {})", message, RequestIds.of(ctx));
        ctx.json(object("status", "success", "message", message, "summary", object(
                "added", changes.added().size(), "removed", changes.removed().size(),
                "updated", changes.updated().size(), "unchanged", changes.unchanged(), "total", changes.total(),
                "added_names", changes.added(), "removed_names", changes.removed(),
                "updated_names", changes.updated()), "timestamp", iso(clock.instant())));
    }
}
