package dev.orbit.http;

import dev.orbit.service.AuthService;
import dev.orbit.service.ServiceException;
import io.javalin.http.Context;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * The admin console's session cookie and the rules under which it authorizes an API call. The cookie holds the
 * session token (HttpOnly, so script never sees it; SameSite=Strict, so no other site's page makes the browser
 * send it). A state-changing call made with it must also carry the session's anti-forgery token in
 * {@value #CSRF_HEADER} (which the console reads from its page) and must not come from another origin: a page
 * elsewhere can make the browser send a request, but can neither read the token nor forge those headers.
 */
final class ConsoleCookie {
    static final String NAME = "dashboard_token";
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final String FORGED = "Cross-site request refused: missing or wrong " + CSRF_HEADER;
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    /** Longer than any token we issue: a longer cookie is not looked up. */
    private static final int MAX_TOKEN_LENGTH = 256;

    private ConsoleCookie() {
    }

    /** The session token of the request's cookie, or null when there is none (or it is absurdly long). */
    static String token(Context ctx) {
        String value = ctx.cookie(NAME);
        return value == null || value.isEmpty() || value.length() > MAX_TOKEN_LENGTH ? null : value;
    }

    /**
     * The cookie's session token for an API call, or null without a cookie; a state-changing call without the
     * session's anti-forgery token, or from another origin, is refused with 403.
     */
    static String authorizing(Context ctx) {
        String token = token(ctx);
        if (token != null && !SAFE_METHODS.contains(ctx.method().name())) {
            requireSameOrigin(ctx);
            if (!AuthService.isCsrfToken(token, Headers.text(ctx, CSRF_HEADER))) {
                throw new ServiceException.Forbidden(FORGED);
            }
        }
        return token;
    }

    /**
     * Refuses (403) a request the browser marks as sent by another site or origin: {@code Sec-Fetch-Site} other
     * than same-origin or none (typed into the address bar), or an {@code Origin} whose host name is neither the
     * request's {@code Host} nor its {@code X-Forwarded-Host}. Ports are not compared: a reverse proxy may pass
     * {@code Host} without its port (nginx's {@code $host}), and a page on another port of the same host still
     * lacks the anti-forgery token. A proxy's header is safe to accept here: a page elsewhere can make the browser
     * send a request but cannot set that header on it. Browsers that send neither header still need the token.
     */
    static void requireSameOrigin(Context ctx) {
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            throw new ServiceException.Forbidden("Cross-site request refused");
        }
        String origin = ctx.header("Origin");
        if (origin != null) {
            String name = hostName(origin);
            if (name == null || !(name.equals(hostName("//" + ctx.header("Host")))
                    || name.equals(hostName("//" + ctx.header("X-Forwarded-Host"))))) {
                throw new ServiceException.Forbidden("Cross-site request refused");
            }
        }
    }

    /** The lower-case host name of a URI ({@code http://a.b:8080} or {@code //a.b:8080}), or null. */
    private static String hostName(String uri) {
        try {
            String host = URI.create(uri.strip()).getHost();
            return host == null ? null : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The {@code Set-Cookie} value that opens a console session; Secure when the request came over HTTPS. */
    static String set(String token, Duration lifetime, boolean https) {
        return NAME + "=" + token + "; Path=/; Max-Age=" + lifetime.toSeconds() + "; HttpOnly; SameSite=Strict"
                + (https ? "; Secure" : "");
    }

    /** The {@code Set-Cookie} value that removes the cookie. */
    static String clear(boolean https) {
        return NAME + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (https ? "; Secure" : "");
    }
}
