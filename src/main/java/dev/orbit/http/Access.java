package dev.orbit.http;

import dev.orbit.service.ApiKeyService;
import dev.orbit.service.AuthService;
import dev.orbit.service.ServiceException;
import dev.orbit.service.User;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may call what. User routes take a bearer session token ({@code Authorization: Bearer <token>}) and,
 * where named, a permission of the user's roles. Admin routes for API keys, prompts and the system also take a
 * client API key, but only when {@code auth.api_key_admin_access} is on (off by default: a key shipped in a
 * public chat widget must not be able to delete other keys). The admin console's session cookie counts as a
 * session token ({@link ConsoleCookie}).
 */
final class Access {
    static final String AUTHENTICATION_REQUIRED = "Authentication required";
    static final String ADMIN_REQUIRED = "Admin authentication or valid API key required";

    private final AuthService auth;
    private final ApiKeyService apiKeys;
    private final boolean apiKeyAdminAccess;
    private final String apiKeyHeader;

    Access(AuthService auth, ApiKeyService apiKeys, boolean apiKeyAdminAccess, String apiKeyHeader) {
        this.auth = Objects.requireNonNull(auth, "auth");
        this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
        this.apiKeyAdminAccess = apiKeyAdminAccess;
        this.apiKeyHeader = Objects.requireNonNull(apiKeyHeader, "apiKeyHeader");
    }

    /**
     * The user of the request's session token; 401 when there is none or it is invalid or expired. The token is
     * the bearer's or, without one, the admin console's cookie under {@link ConsoleCookie}'s rules.
     */
    User user(Context ctx) {
        String token = sessionToken(ctx);
        if (token == null) {
            throw new ServiceException.Unauthorized(AUTHENTICATION_REQUIRED);
        }
        return auth.authenticate(token);
    }

    /** {@link #user} holding the permission; 403 naming it otherwise. */
    User permitted(Context ctx, String permission) {
        User user = user(ctx);
        AuthService.requirePermission(user, permission);
        return user;
    }

    /**
     * An admin route: a valid session whose user holds the permission (403 if not), or, when API-key admin
     * access is on, a valid API key. Without either, 401 "Admin authentication or valid API key required".
     * Returns the user, or empty when an API key was accepted.
     */
    Optional<User> admin(Context ctx, String permission) {
        String token = sessionToken(ctx);
        if (token != null) {
            Optional<User> user = sessionUser(token);
            if (user.isPresent()) {
                AuthService.requirePermission(user.get(), permission);
                return user;
            }
        }
        if (apiKeyAdminAccess && validApiKey(apiKey(ctx), ctx.ip())) {
            return Optional.empty();
        }
        throw new ServiceException.Unauthorized(ADMIN_REQUIRED);
    }

    /** The API key header's value without surrounding blanks, or null when the header is absent. */
    String apiKey(Context ctx) {
        String key = Headers.text(ctx, apiKeyHeader);
        return key == null ? null : key.strip();
    }

    /**
     * The session token of {@code Authorization: Bearer}, else of the console cookie (403 for a state-changing
     * call that does not prove it comes from the console), else null.
     */
    static String sessionToken(Context ctx) {
        String token = bearer(ctx);
        return token != null ? token : ConsoleCookie.authorizing(ctx);
    }

    /** The token of {@code Authorization: Bearer <token>}, or null when the header is absent or another scheme. */
    static String bearer(Context ctx) {
        String header = Headers.text(ctx, "Authorization");
        if (header == null) {
            return null;
        }
        String value = header.strip();
        if (value.length() < 7 || !value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return null;
        }
        String token = value.substring(7).strip();
        return token.isEmpty() ? null : token;
    }

    private Optional<User> sessionUser(String token) {
        try {
            return Optional.of(auth.authenticate(token));
        } catch (ServiceException.Unauthorized e) {
            return Optional.empty();
        }
    }

    private boolean validApiKey(String key, String clientAddress) {
        if (key == null || key.isBlank()) {
            return false;
        }
        try {
            apiKeys.authenticate(key, clientAddress);
            return true;
        } catch (ServiceException.Unauthorized e) {
            return false;
        }
    }
}
