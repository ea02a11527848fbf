package dev.orbit.http;

import dev.orbit.config.LimitsConfig;
import dev.orbit.service.RequestLimits;
import dev.orbit.service.ServiceException;
import dev.orbit.service.ValidatedApiKey;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;

/**
 * Quotas and rate limits of the chat routes, applied once the key is known valid (only requests a valid key
 * authorizes are counted): sets the {@code X-Quota-*}, {@code X-Throttle-Delay} and {@code X-RateLimit-*} headers,
 * refuses with 429 (and {@code Retry-After} until the refusing window ends), or delays a key nearing its quota.
 */
final class ChatLimits {
    private final RequestLimits limits;
    private final LimitsConfig config;

    ChatLimits(RequestLimits limits, LimitsConfig config) {
        this.limits = limits;
        this.config = config;
    }

    void admit(Context ctx, ValidatedApiKey key) {
        String path = ctx.path();
        boolean quota = limits.quotasEnabled() && !excluded(path, config.throttling().excludePaths());
        boolean rate = limits.rateLimitsEnabled() && !excluded(path, config.rateLimiting().excludePaths());
        if (!quota && !rate) {
            return;
        }
        RequestLimits.Admission admission = limits.admit(key.key(), ctx.ip(), quota, rate);
        if (admission.quota() != null) {
            LimitsConfig.QuotaHeaders names = config.throttling().headers();
            RequestLimits.QuotaState state = admission.quota();
            ctx.header(names.delay(), String.valueOf(admission.delayMs()));
            if (state.dailyRemaining() != null) {
                ctx.header(names.dailyRemaining(), String.valueOf(state.dailyRemaining()));
            }
            if (state.monthlyRemaining() != null) {
                ctx.header(names.monthlyRemaining(), String.valueOf(state.monthlyRemaining()));
            }
            ctx.header(names.dailyReset(), unix(state.dailyReset()));
            ctx.header(names.monthlyReset(), unix(state.monthlyReset()));
        }
        if (admission.rate() != null) {
            ctx.header("X-RateLimit-Limit", String.valueOf(admission.rate().limit()));
            ctx.header("X-RateLimit-Remaining", String.valueOf(admission.rate().remaining()));
            ctx.header("X-RateLimit-Reset", unix(admission.rate().reset()));
        }
        if (!admission.admitted()) {
            throw new ServiceException.TooManyRequests(admission.detail(), admission.retryAfter(), admission.fields());
        }
        if (admission.delayMs() > 0) {
            sleep(admission.delayMs());
        }
    }

    private static boolean excluded(String path, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/")) {
                return true;
            }
        }
        return false;
    }

    private static String unix(Instant at) {
        return String.valueOf(at.getEpochSecond());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis); // a virtual thread: the delay holds no platform thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
