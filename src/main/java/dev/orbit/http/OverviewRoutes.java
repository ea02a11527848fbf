package dev.orbit.http;

import static dev.orbit.http.Json.iso;
import static dev.orbit.http.Json.object;

import dev.orbit.service.SystemOverview;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * {@code GET /admin/overview} ({@code system.manage}): what the admin console's first page shows of this gateway
 * beyond {@code /admin/info}: the database (backend, location, schema version), rows per collection, uptime.
 */
final class OverviewRoutes {
    static final String PERMISSION = "system.manage";

    private final SystemOverview overview;
    private final Access access;

    OverviewRoutes(SystemOverview overview, Access access) {
        this.overview = overview;
        this.access = access;
    }

    void register(RoutesConfig routes) {
        routes.get("/admin/overview", this::overview);
    }

    private void overview(Context ctx) {
        access.admin(ctx, PERMISSION);
        String database = overview.database();
        int space = database.indexOf(' ');
        ctx.json(object("version", SystemRoutes.version(), "pid", ProcessHandle.current().pid(),
                "backend", space < 0 ? database : database.substring(0, space), "database", database,
                "started_at", iso(overview.startedAt()), "uptime_seconds", overview.uptime().toSeconds(),
                "collections", overview.counts()));
    }
}
