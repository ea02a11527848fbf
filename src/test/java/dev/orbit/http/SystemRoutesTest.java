package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemRoutesTest extends GatewayTestBase {
    @Test
    void healthNeedsNoCredential() {
        Reply reply = orbit().get("/health").send();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void headHealthAnswersLikeGetWithoutABody() {
        Reply head = orbit().head("/health").send();
        Reply badKey = orbit().head("/health").apiKey("orbit_nope").send();

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Type")).startsWith("application/json");
        assertThat(head.body()).isEmpty();
        assertThat(badKey.status()).isEqualTo(401);
    }

    @Test
    void healthWithAValidKeyIsOkAndWithAnInvalidOrInactiveOneIs401() {
        String key = orbit().createKey(Orbit.ADAPTER);
        String inactive = orbit().createKey(Orbit.ADAPTER);
        orbit().post("/admin/api-keys/" + inactive + "/deactivate").bearer(orbit().adminToken()).send();
        String disabledAdapter = orbit().createKey(Orbit.DISABLED_ADAPTER);

        assertThat(orbit().get("/health").apiKey(key).send().status()).isEqualTo(200);
        for (String bad : new String[] {"orbit_nope", inactive, disabledAdapter, ""}) {
            Reply reply = orbit().get("/health").apiKey(bad).send();
            assertThat(reply.status()).as(bad).isEqualTo(401);
            assertThat(reply.detail()).isEqualTo("Invalid or missing API key");
        }
    }

    @Test
    void invalidKeysFromOneAddressAreRefusedWith429AndRetryAfterBeforeAnyLookup() {
        String key = orbit().createKey(Orbit.ADAPTER);
        for (int i = 0; i < 21; i++) {
            assertThat(orbit().get("/health").apiKey("orbit_guess" + i).send().status()).isEqualTo(401);
        }

        Reply blocked = orbit().get("/health").apiKey("orbit_guess99").send();
        assertThat(blocked.status()).isEqualTo(429);
        assertThat(blocked.header("Retry-After")).isEqualTo("1");
        assertThat(blocked.detail()).startsWith("Too many invalid API keys");
        assertThat(orbit().get("/health").send().status()).as("no key, no lookup").isEqualTo(200);
    }

    @Test
    void infoShowsPidVersionAndStatusToSystemManagers() {
        Reply reply = orbit().get("/admin/info").bearer(orbit().adminToken()).send();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("pid").longValue()).isEqualTo(ProcessHandle.current().pid());
        assertThat(reply.json().get("version").textValue()).isNotBlank();
        assertThat(reply.json().get("status").textValue()).isEqualTo("running");
    }

    @Test
    void infoAndShutdownNeedSystemManage() {
        String analyst = orbit().userWithRoles("ana", "analyst");

        assertThat(orbit().get("/admin/info").bearer(analyst).send().detail())
                .isEqualTo("Missing required permission(s): system.manage");
        assertThat(orbit().post("/admin/shutdown").bearer(analyst).send().status()).isEqualTo(403);
        assertThat(orbit().post("/admin/shutdown").send().status()).isEqualTo(401);
        assertThat(orbit().get("/health").send().status()).isEqualTo(200);
    }

    @Test
    void shutdownRepliesThenStopsTheWholeGateway() throws Exception {
        Orbit orbit = orbit();
        String admin = orbit.adminToken();

        Reply reply = orbit.post("/admin/shutdown").bearer(admin).send();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("status").textValue()).isEqualTo("success");
        assertThat(reply.json().get("message").isTextual()).isTrue();
        assertThat(reply.json().get("timestamp").textValue()).matches(JsonTest.ISO_MILLIS);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!orbit.gateway().isClosed() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(orbit.gateway().isClosed()).isTrue();
        assertThat(catchConnect(orbit)).isTrue();
    }

    private static boolean catchConnect(Orbit orbit) {
        try {
            orbit.get("/health").send();
            return false;
        } catch (java.io.UncheckedIOException e) {
            return true;
        }
    }

    @Test
    void withApiKeyAdminAccessOnAValidKeyMayCallAdminRoutes() {
        Orbit orbit = orbit("auth: {api_key_admin_access: true}");
        String key = orbit.createKey(Orbit.ADAPTER);

        assertThat(orbit.get("/admin/api-keys").apiKey(key).send().status()).isEqualTo(200);
        assertThat(orbit.post("/admin/prompts").apiKey(key).json(Map.of("name", "p", "prompt", "t")).send().status())
                .isEqualTo(200);
        assertThat(orbit.get("/admin/info").apiKey(key).send().status()).isEqualTo(200);
        assertThat(orbit.get("/admin/api-keys").apiKey("orbit_invalid").send().detail())
                .isEqualTo("Admin authentication or valid API key required");
        // Users and conversations stay behind session tokens.
        assertThat(orbit.get("/auth/users").apiKey(key).send().status()).isEqualTo(401);
        assertThat(orbit.get("/admin/chat-history/s").apiKey(key).send().status()).isEqualTo(401);
    }
}
