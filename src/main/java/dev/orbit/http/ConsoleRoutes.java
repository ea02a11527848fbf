package dev.orbit.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.orbit.service.AuthService;
import dev.orbit.service.LoginResult;
import dev.orbit.service.ServiceException;
import dev.orbit.service.User;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The admin console ({@code orbit-api-next.md} §6): the sign-in form, sign-out, the page at {@code /admin} and
 * its static files (plain ES modules and CSS under {@code console/} on the class path). The console itself holds
 * no logic: it calls the public API with the session cookie ({@link ConsoleCookie}). Sign-in goes through
 * {@link AuthService#login}, so it is throttled exactly like {@code POST /auth/login}.
 */
final class ConsoleRoutes {
    static final String HOME = "/admin";
    static final String LOGIN = "/admin/login";
    static final String INVALID_LOGIN = "Invalid admin username or password.";
    /** Scripts and styles from this origin only, nothing inline, no framing, no third-party origin. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";
    private static final Pattern ASSET = Pattern.compile("[a-z0-9-]{1,64}\\.(js|css|svg|png)");
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "png", "image/png");
    private static final int MAX_NEXT_LENGTH = 2048;

    private final AuthService auth;

    ConsoleRoutes(AuthService auth) {
        this.auth = auth;
    }

    void register(RoutesConfig routes) {
        routes.get(LOGIN, this::loginForm);
        routes.post(LOGIN, this::login);
        routes.post("/admin/logout", this::logout);
        routes.get(HOME, this::app);
        routes.get(HOME + "/", this::app);
        routes.get("/admin/assets/{file}", this::asset);
    }

    private void loginForm(Context ctx) {
        String next = safeNext(ctx.queryParam("next"));
        if (signedIn(ctx).isPresent()) {
            ctx.redirect(next, HttpStatus.SEE_OTHER);
            return;
        }
        // Only known codes are shown: a link must not be able to put words of its choosing on the sign-in page.
        String error = "expired".equals(ctx.queryParam("error")) ? "Your session has ended; please sign in again."
                : "";
        form(ctx, 200, next, error);
    }

    private void login(Context ctx) {
        ConsoleCookie.requireSameOrigin(ctx); // a page elsewhere must not sign the browser in to its own account
        String username = ctx.formParam("username");
        String next = safeNext(ctx.formParam("next"));
        ctx.attribute(AdminAudit.BODY, JsonNodeFactory.instance.objectNode().put("username", username));
        LoginResult result;
        try {
            result = auth.login(username, ctx.formParam("password"), ctx.ip());
        } catch (ServiceException.Unauthorized e) {
            form(ctx, 401, next, INVALID_LOGIN);
            return;
        } catch (ServiceException.TooManyRequests e) {
            ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
            form(ctx, 429, next, e.getMessage());
            return;
        }
        if (result.user().permissions().isEmpty()) {
            auth.logout(result.token()); // the console is for accounts that may manage something
            form(ctx, 401, next, INVALID_LOGIN);
            return;
        }
        ctx.header("Set-Cookie", ConsoleCookie.set(result.token(), auth.sessionDuration(), https(ctx)));
        ctx.redirect(next, HttpStatus.SEE_OTHER);
    }

    private void logout(Context ctx) {
        String token = ConsoleCookie.token(ctx);
        if (token != null) {
            ConsoleCookie.requireSameOrigin(ctx);
            String proof = Optional.ofNullable(Headers.text(ctx, ConsoleCookie.CSRF_HEADER))
                    .orElse(ctx.formParam("csrf_token"));
            if (!AuthService.isCsrfToken(token, proof)) {
                throw new ServiceException.Forbidden(ConsoleCookie.FORGED);
            }
            try {
                auth.logout(token);
            } catch (ServiceException.Unauthorized e) {
                // already ended (expired, or signed out elsewhere): clearing the cookie is all that is left
            }
        }
        ctx.header("Set-Cookie", ConsoleCookie.clear(https(ctx)));
        ctx.redirect(LOGIN, HttpStatus.SEE_OTHER);
    }

    private void app(Context ctx) {
        Optional<String> token = signedIn(ctx);
        if (token.isEmpty()) {
            ctx.redirect(LOGIN + "?next=" + URLEncoder.encode(HOME, StandardCharsets.UTF_8),
                    HttpStatus.SEE_OTHER);
            return;
        }
        html(ctx, 200, template("app.html").replace("{{csrf}}", AuthService.csrfToken(token.get())));
    }

    private void asset(Context ctx) {
        String name = ctx.pathParam("file");
        byte[] bytes = ASSET.matcher(name).matches() ? resource(name) : null;
        if (bytes == null) {
            throw new ServiceException.NotFound("Not Found");
        }
        secure(ctx);
        ctx.header("Cache-Control", "no-cache"); // revalidated, so an upgraded gateway serves its own console
        ctx.contentType(TYPES.get(name.substring(name.lastIndexOf('.') + 1))).result(bytes);
    }

    /** The token of a cookie whose session is valid and whose user may manage something. */
    private Optional<String> signedIn(Context ctx) {
        String token = ConsoleCookie.token(ctx);
        if (token == null) {
            return Optional.empty();
        }
        try {
            User user = auth.authenticate(token);
            return user.permissions().isEmpty() ? Optional.empty() : Optional.of(token);
        } catch (ServiceException.Unauthorized e) {
            return Optional.empty();
        }
    }

    private void form(Context ctx, int status, String next, String error) {
        html(ctx, status, template("login.html").replace("{{next}}", escape(next))
                .replace("{{error}}", escape(error)).replace("{{error-hidden}}", error.isEmpty() ? "hidden" : ""));
    }

    private static void html(Context ctx, int status, String body) {
        secure(ctx);
        ctx.header("Cache-Control", "no-store"); // the page carries the session's anti-forgery token
        ctx.status(status).contentType("text/html; charset=utf-8").result(body);
    }

    private static void secure(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        // Not no-referrer: with it the browser sends "Origin: null" on the sign-in form, which the origin check refuses.
        ctx.header("Referrer-Policy", "same-origin");
    }

    /**
     * Where to go after signing in: a path on this server ({@code /...}, not {@code //host} or {@code /\host},
     * which browsers read as another host), else {@code /admin}. No open redirect.
     */
    static String safeNext(String next) {
        if (next == null || next.isEmpty() || next.length() > MAX_NEXT_LENGTH || next.charAt(0) != '/'
                || next.startsWith("//") || next.indexOf('\\') >= 0 || next.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return HOME;
        }
        return next;
    }

    // Also what a TLS-terminating proxy says: believing a forged header only makes the cookie stricter.
    private static boolean https(Context ctx) {
        return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    private static String template(String name) {
        byte[] bytes = resource(name);
        if (bytes == null) {
            throw new IllegalStateException("console/" + name + " is missing from the class path");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] resource(String name) {
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream("/console/" + name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
