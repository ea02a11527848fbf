package dev.orbit.http;

import dev.orbit.service.ApiKeyFingerprint;
import dev.orbit.service.ApiKeyService;
import dev.orbit.service.AuthService;
import dev.orbit.service.ServiceException;
import dev.orbit.service.User;
import dev.orbit.service.ValidatedApiKey;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Which API key (and, on chat routes, which user) a client request carries. The key is the API key header's;
 * without that header, {@code Authorization: Bearer} may carry it. SDKs often send the key both ways (OpenAI's
 * {@code apiKey} plus an {@code X-API-Key} default header): a bearer value equal to the header is the same key,
 * not a session token to verify.
 */
final class ClientKeys {
    private final ApiKeyService apiKeys;
    private final AuthService auth;
    private final Access access;

    ClientKeys(ApiKeyService apiKeys, AuthService auth, Access access) {
        this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.access = Objects.requireNonNull(access, "access");
    }

    /** The raw key and the verified user of a session token sent with it (null when none). */
    record Credentials(String apiKey, User user) {
    }

    /**
     * A chat request's credentials. With both the key header and a bearer value, the bearer is a user's session
     * token (verified: 401 if it is not one), unless it is the same key sent twice, or, where {@code openAi}
     * (the OpenAI-compatible route, whose SDKs always send their {@code apiKey} as a bearer), a valid API key:
     * then the key header decides and no user is implied.
     */
    Credentials chat(Context ctx, boolean openAi) {
        String key = access.apiKey(ctx);
        String bearer = Access.bearer(ctx);
        if (key == null || key.isEmpty()) {
            return new Credentials(bearer, null);
        }
        if (bearer == null || same(bearer, key)) {
            return new Credentials(key, null);
        }
        try {
            return new Credentials(key, auth.authenticate(bearer));
        } catch (ServiceException.Unauthorized notASession) {
            if (openAi && isValidKey(bearer, ctx.ip())) {
                return new Credentials(key, null);
            }
            throw notASession;
        }
    }

    /**
     * The key of a client route that takes only the key header (401 "Invalid or missing API key" unless it is
     * a usable key). A bearer value is ignored here: the reference chat app's proxy forwards its own sign-in
     * token beside the key, and it says nothing about the key.
     */
    ValidatedApiKey headerKey(Context ctx) {
        return apiKeys.authenticate(access.apiKey(ctx), ctx.ip());
    }

    /** The key of a client route that also takes {@code Authorization: Bearer <api key>} when no key header is sent. */
    ValidatedApiKey headerOrBearerKey(Context ctx) {
        String key = access.apiKey(ctx);
        return apiKeys.authenticate(key == null || key.isEmpty() ? Access.bearer(ctx) : key, ctx.ip());
    }

    /** Whether two secrets are equal, in time that does not depend on where they differ or on their lengths. */
    static boolean same(String a, String b) {
        return MessageDigest.isEqual(ApiKeyFingerprint.of(a).sha256().getBytes(StandardCharsets.US_ASCII),
                ApiKeyFingerprint.of(b).sha256().getBytes(StandardCharsets.US_ASCII));
    }

    private boolean isValidKey(String value, String clientAddress) {
        try {
            apiKeys.authenticate(value, clientAddress);
            return true;
        } catch (ServiceException.Unauthorized e) {
            return false;
        }
    }
}
