package dev.orbit.http;

import static dev.orbit.http.Json.iso;
import static dev.orbit.http.Json.object;

import dev.orbit.observability.LogFiles;
import dev.orbit.service.ServiceException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /admin/logs/files} and {@code GET /admin/logs/tail?lines=N&file=NAME} ({@code logs.read}), as the
 * reference: the gateway's own log files, newest first, and the last lines of one (by default the one being
 * written). {@code file} is matched against the listed names only; {@code lines} is 10 to 500 (default 200).
 */
final class LogRoutes {
    static final String LOGS_READ = "logs.read";
    static final int DEFAULT_LINES = 200;
    static final int MIN_LINES = 10;
    static final int MAX_LINES = 500;

    private final Access access;
    private final Supplier<Optional<Path>> activeFile;

    /** {@code activeFile} says which file the logging writes now (none when it writes only to the console). */
    LogRoutes(Access access, Supplier<Optional<Path>> activeFile) {
        this.access = access;
        this.activeFile = activeFile;
    }

    void register(RoutesConfig routes) {
        routes.get("/admin/logs/files", this::files);
        routes.get("/admin/logs/tail", this::tail);
    }

    private void files(Context ctx) {
        access.admin(ctx, LOGS_READ);
        List<Map<String, Object>> files = activeFile.get().map(LogFiles::list).orElse(List.of()).stream()
                .map(f -> object("filename", f.name(), "size", f.size(), "updated_at", iso(f.updatedAt()),
                        "is_current", f.current()))
                .toList();
        ctx.json(Map.of("files", files));
    }

    private void tail(Context ctx) {
        access.admin(ctx, LOGS_READ);
        int lines = QueryParams.integer(ctx, "lines", DEFAULT_LINES, MIN_LINES, MAX_LINES);
        String name = QueryParams.string(ctx, "file");
        Path active = activeFile.get().filter(p -> !LogFiles.list(p).isEmpty())
                .orElseThrow(() -> new ServiceException.NotFound("No log files found"));
        Path file = name == null || name.isEmpty() ? active : LogFiles.named(active, name)
                .orElseThrow(() -> new ServiceException.NotFound("Log file not found"));
        LogFiles.Tail tail = LogFiles.tail(file, lines)
                .orElseThrow(() -> new ServiceException.NotFound("Log file not found"));
        ctx.json(object("file", file.toString(), "filename", file.getFileName().toString(),
                "updated_at", iso(tail.updatedAt()), "lines", tail.lines()));
    }
}
