package dev.orbit.http;

import dev.orbit.service.ServerPause;
import dev.orbit.service.ServiceException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Duration;
import java.util.List;

/**
 * Refuses new chat turns while the gateway is paused ({@code POST /admin/pause}): {@code /v1/chat} and
 * {@code /v1/chat/completions} answer 503 "Server is paused" with {@code Retry-After}, before the key is checked,
 * as the reference does. Streams already running go on; every other route keeps working.
 */
final class PauseGate {
    static final String PAUSED = "Server is paused";
    /** A pause lasts as long as the operator wants; clients are told to come back in this long. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(30);
    private static final List<String> CHAT_PATHS = List.of("/v1/chat", "/v1/chat/completions");

    private final ServerPause pause;

    PauseGate(ServerPause pause) {
        this.pause = pause;
    }

    void register(RoutesConfig routes) {
        CHAT_PATHS.forEach(path -> routes.before(path, this::check));
    }

    private void check(Context ctx) {
        if (ctx.method() == HandlerType.POST && pause.isPaused()) {
            throw new ServiceException.Unavailable(PAUSED, RETRY_AFTER);
        }
    }
}
