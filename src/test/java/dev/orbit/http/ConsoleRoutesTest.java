package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The admin console's sign-in, sign-out and page, and the rules under which its session cookie authorizes API
 * calls: reads with the cookie alone, state changes only with the session's anti-forgery token and never from
 * another origin.
 */
class ConsoleRoutesTest extends GatewayTestBase {
    private static final Pattern CSRF = Pattern.compile("name=\"orbit-csrf\" content=\"([0-9a-f]{64})\"");

    private Reply signIn(String username, String password, String next) {
        return orbit().post("/admin/login").form(Map.of("username", username, "password", password, "next", next))
                .send();
    }

    /** The {@code dashboard_token=...} pair of a sign-in's Set-Cookie, as a browser sends it back. */
    private static String cookie(Reply signIn) {
        String set = signIn.header("Set-Cookie");
        assertThat(set).as(signIn.toString()).startsWith("dashboard_token=");
        return set.substring(0, set.indexOf(';'));
    }

    private String adminCookie() {
        return cookie(signIn("admin", Orbit.ADMIN_PASSWORD, "/admin"));
    }

    private String csrfOf(String cookie) {
        Reply page = orbit().get("/admin").header("Cookie", cookie).send();
        Matcher m = CSRF.matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        return m.group(1);
    }

    private Reply createPrompt(String cookie, String csrf, String origin) {
        Orbit.Call call = orbit().post("/admin/prompts").header("Cookie", cookie);
        if (csrf != null) {
            call.header("X-CSRF-Token", csrf);
        }
        if (origin != null) {
            call.header("Origin", origin);
        }
        return call.json(Map.of("name", "greeting", "prompt", "Be brief.")).send();
    }

    @Test
    void signingInSetsAnHttpOnlyStrictCookieLastingTheSessionAndGoesToNext() {
        Reply reply = signIn("admin", Orbit.ADMIN_PASSWORD, "/admin#/keys");

        assertThat(reply.status()).isEqualTo(303);
        assertThat(reply.header("Location")).isEqualTo("/admin#/keys");
        String set = reply.header("Set-Cookie");
        assertThat(set).matches("dashboard_token=[0-9a-f]{64}; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict");
        assertThat(orbit().get("/auth/me").header("Cookie", cookie(reply)).send().json().get("permissions").toString())
                .isEqualTo("[\"*\"]");
    }

    @Test
    void aWrongPasswordShowsTheFormAgainWithoutACookie() {
        Reply reply = signIn("admin", "wrong-password", "/admin");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("Set-Cookie")).isNull();
        assertThat(reply.header("Content-Type")).startsWith("text/html");
        assertThat(reply.body()).contains(ConsoleRoutes.INVALID_LOGIN).contains("name=\"password\"");
    }

    @Test
    void anAccountWithoutAnyPermissionCannotSignIn() {
        orbit().userWithRoles("plain", "user");

        Reply reply = signIn("plain", "password-plain", "/admin");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("Set-Cookie")).isNull();
    }

    @Test
    void nextIsOnlyEverAPathOnThisServer() {
        for (String hostile : new String[] {"//evil.example/x", "https://evil.example", "/\\evil.example", "evil",
                "/\u0000x", "javascript:alert(1)"}) {
            Reply reply = signIn("admin", Orbit.ADMIN_PASSWORD, hostile);
            assertThat(reply.header("Location")).as(hostile).isEqualTo("/admin");
        }
        Reply form = orbit().get("/admin/login?next=%22%3E%3Cscript%3Ex%3C/script%3E").send();
        assertThat(form.body()).doesNotContain("<script>x").contains("value=\"/admin\"");
        Reply kept = orbit().get("/admin/login?next=/admin%23/a%22b").send();
        assertThat(kept.body()).contains("value=\"/admin#/a&quot;b\"");
    }

    @Test
    void signInIsThrottledTogetherWithAuthLogin() {
        orbit(Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC)); // the block does not run out
        for (int i = 0; i < 6; i++) {
            orbit().post("/auth/login").json(Map.of("username", "admin", "password", "wrong-" + i)).send();
        }

        Reply reply = signIn("admin", Orbit.ADMIN_PASSWORD, "/admin");

        assertThat(reply.status()).isEqualTo(429);
        assertThat(reply.header("Retry-After")).isNotNull();
        assertThat(reply.header("Set-Cookie")).isNull();
    }

    @Test
    void thePageNeedsASignedInSessionAndForbidsInlineScriptAndOtherOrigins() {
        Reply anonymous = orbit().get("/admin").send();
        assertThat(anonymous.status()).isEqualTo(303);
        assertThat(anonymous.header("Location")).isEqualTo("/admin/login?next=%2Fadmin");
        assertThat(orbit().get("/admin").header("Cookie", "dashboard_token=" + "0".repeat(64)).send().status())
                .isEqualTo(303);

        Reply page = orbit().get("/admin").header("Cookie", adminCookie()).send();

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("/admin/assets/app.js").doesNotContain("<script>");
        String csp = page.header("Content-Security-Policy");
        assertThat(csp).contains("script-src 'self'").contains("default-src 'none'").contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline").doesNotContain("http");
        assertThat(page.header("Cache-Control")).isEqualTo("no-store");
        assertThat(orbit().get("/admin/login").header("Cookie", adminCookie()).send().status()).isEqualTo(303);
    }

    @Test
    void assetsAreServedByNameOnly() {
        Reply script = orbit().get("/admin/assets/app.js").send();
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.header("Content-Type")).startsWith("text/javascript");
        assertThat(script.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(orbit().get("/admin/assets/console.css").send().header("Content-Type")).startsWith("text/css");

        assertThat(orbit().get("/admin/assets/nothing.js").send().status()).isEqualTo(404);
        assertThat(orbit().get("/admin/assets/app.html").send().status()).isEqualTo(404);
        assertThat(orbit().get("/admin/assets/..%2Fapp.html").send().status()).isEqualTo(404);
        assertThat(orbit().get("/admin/assets/%2e%2e%2flogback.xml").send().status()).isEqualTo(404);
    }

    @Test
    void theCookieReadsButChangesNothingWithoutTheAntiForgeryToken() {
        String cookie = adminCookie();
        String csrf = csrfOf(cookie);

        assertThat(orbit().get("/admin/prompts").header("Cookie", cookie).send().status()).isEqualTo(200);
        Reply none = createPrompt(cookie, null, null);
        Reply wrong = createPrompt(cookie, "0".repeat(64), null);
        Reply otherSessions = createPrompt(cookie, csrfOf(adminCookie()), null);
        Reply crossOrigin = createPrompt(cookie, csrf, "http://evil.example");
        Reply crossSite = orbit().post("/admin/prompts").header("Cookie", cookie).header("X-CSRF-Token", csrf)
                .header("Sec-Fetch-Site", "cross-site").json(Map.of("name", "greeting", "prompt", "Be brief.")).send();

        assertThat(none.status()).isEqualTo(403);
        assertThat(none.detail()).isEqualTo(ConsoleCookie.FORGED);
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(otherSessions.status()).isEqualTo(403);
        assertThat(crossOrigin.status()).isEqualTo(403);
        assertThat(crossSite.status()).isEqualTo(403);
        assertThat(orbit().get("/admin/prompts").header("Cookie", cookie).send().json()).isEmpty();

        Reply ok = createPrompt(cookie, csrf, "http://127.0.0.1:" + orbit().gateway().port());
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(orbit().get("/admin/prompts").header("Cookie", cookie).send().json()).hasSize(1);
    }

    @Test
    void theCookieCarriesOnlyItsUsersPermissions() {
        orbit().userWithRoles("ana", "analyst");
        String cookie = cookie(signIn("ana", "password-ana", "/admin"));
        String csrf = csrfOf(cookie);

        assertThat(orbit().get("/admin/sessions").header("Cookie", cookie).send().status()).isEqualTo(200);
        assertThat(orbit().get("/admin/prompts").header("Cookie", cookie).send().status()).isEqualTo(403);
        assertThat(createPrompt(cookie, csrf, null).status()).isEqualTo(403);
    }

    @Test
    void signingInFromAnotherOriginIsRefused() {
        Reply reply = orbit().post("/admin/login").header("Origin", "http://evil.example")
                .form(Map.of("username", "admin", "password", Orbit.ADMIN_PASSWORD)).send();

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.header("Set-Cookie")).isNull();
    }

    @Test
    void behindAProxyTheForwardedHostCountsAndHttpsMakesTheCookieSecure() {
        Reply viaProxy = orbit().post("/admin/login").header("Origin", "https://orbit.example")
                .header("X-Forwarded-Host", "orbit.example").header("X-Forwarded-Proto", "https")
                .form(Map.of("username", "admin", "password", Orbit.ADMIN_PASSWORD)).send();
        Reply otherPort = orbit().post("/admin/login").header("Origin", "http://127.0.0.1:1")
                .form(Map.of("username", "admin", "password", Orbit.ADMIN_PASSWORD)).send();
        Reply otherHost = orbit().post("/admin/login").header("Origin", "https://evil.example")
                .header("X-Forwarded-Host", "orbit.example")
                .form(Map.of("username", "admin", "password", Orbit.ADMIN_PASSWORD)).send();

        assertThat(viaProxy.status()).isEqualTo(303);
        assertThat(viaProxy.header("Set-Cookie")).endsWith("; SameSite=Strict; Secure");
        assertThat(otherPort.status()).isEqualTo(303);
        assertThat(otherPort.header("Set-Cookie")).doesNotContain("Secure");
        assertThat(otherHost.status()).isEqualTo(403);
    }

    @Test
    void signingOutEndsTheSessionAndClearsTheCookieButOnlyWithTheToken() {
        String cookie = adminCookie();
        String csrf = csrfOf(cookie);

        assertThat(orbit().post("/admin/logout").header("Cookie", cookie).send().status()).isEqualTo(403);
        assertThat(orbit().get("/auth/me").header("Cookie", cookie).send().status()).isEqualTo(200);

        Reply out = orbit().post("/admin/logout").header("Cookie", cookie).form(Map.of("csrf_token", csrf)).send();

        assertThat(out.status()).isEqualTo(303);
        assertThat(out.header("Location")).isEqualTo("/admin/login");
        assertThat(out.header("Set-Cookie")).startsWith("dashboard_token=;").contains("Max-Age=0");
        assertThat(orbit().get("/auth/me").header("Cookie", cookie).send().status()).isEqualTo(401);
    }

    @Test
    void signInAndOutAreInTheAdminAuditWithoutThePassword() {
        Orbit orbit = orbit("internal_services: {audit: {enabled: true, flush_interval_ms: 20}}");
        signIn("admin", "wrong-password", "/admin");
        String cookie = adminCookie();
        orbit.post("/admin/logout").header("Cookie", cookie).header("X-CSRF-Token", csrfOf(cookie)).send();
        orbit.gateway().audit().writer().ifPresent(w -> w.flush());

        Reply events = orbit.get("/admin/audit/events?source=admin").bearer(orbit.adminToken()).send();

        assertThat(events.body()).doesNotContain("wrong-password").doesNotContain(Orbit.ADMIN_PASSWORD);
        assertThat(events.json().get("events")).extracting(e -> e.get("event_type").textValue())
                .contains("auth.login_failed", "auth.login", "auth.logout");
        assertThat(events.json().get("events")).filteredOn(e -> e.get("event_type").textValue().equals("auth.logout"))
                .allSatisfy(e -> assertThat(e.get("actor_username").textValue()).isEqualTo("admin"));
    }
}
