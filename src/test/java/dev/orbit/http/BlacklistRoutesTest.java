package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /auth/blacklist}: rules that refuse logins, as the reference's routes and clients expect them. */
class BlacklistRoutesTest extends GatewayTestBase {
    private static Map<String, Object> rule(String pattern, String type) {
        return Map.of("pattern", pattern, "entry_type", type, "reason", "abuse");
    }

    @Test
    void aRuleIsCreatedListedChangedAndDeletedAndEndsTheMatchedSessions() {
        Orbit orbit = orbit("internal_services: {audit: {enabled: true, flush_interval_ms: 20}}");
        String admin = orbit.adminToken();
        String bob = orbit.userWithRoles("bob", "user");

        Reply created = orbit.post("/auth/blacklist").bearer(admin).json(rule(" BOB ", "username")).send();
        assertThat(created.status()).isEqualTo(200);
        JsonNode body = created.json();
        assertThat(body.get("pattern").textValue()).isEqualTo("bob");
        assertThat(body.get("entry_type").textValue()).isEqualTo("username");
        assertThat(body.get("reason").textValue()).isEqualTo("abuse");
        assertThat(body.get("created_by").textValue()).isEqualTo("admin");
        assertThat(body.get("created_at").textValue()).endsWith("Z");
        assertThat(body.get("matched_users").intValue()).isEqualTo(1);
        assertThat(body.get("revoked_sessions").intValue()).isEqualTo(1);
        String id = body.get("id").textValue();

        assertThat(orbit.get("/auth/me").bearer(bob).send().status()).isEqualTo(401);
        Reply login = orbit.post("/auth/login").json(Map.of("username", "bob", "password", "password-bob")).send();
        assertThat(login.status()).isEqualTo(401);
        assertThat(login.detail()).isEqualTo("Invalid username or password");

        JsonNode listed = orbit.get("/auth/blacklist").bearer(admin).send().json();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("id").textValue()).isEqualTo(id);
        assertThat(listed.get(0).has("matched_users")).isFalse();

        Reply changed = orbit.put("/auth/blacklist/" + id).bearer(admin).json(rule("nobody*", "username")).send();
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("matched_users").intValue()).isZero();
        assertThat(orbit.login("bob", "password-bob")).hasSize(64);

        Reply deleted = orbit.delete("/auth/blacklist/" + id).bearer(admin).send();
        assertThat(deleted.json().get("status").textValue()).isEqualTo("deleted");
        assertThat(deleted.json().get("id").textValue()).isEqualTo(id);
        assertThat(orbit.get("/auth/blacklist").bearer(admin).send().json()).isEmpty();
        assertThat(orbit.delete("/auth/blacklist/" + id).bearer(admin).send().status()).isEqualTo(404);

        List<String> events = orbit.get("/admin/audit/events?event_prefix=auth.blacklist.&limit=10").bearer(admin)
                .send().json().findValuesAsText("event_type");
        assertThat(events).containsExactlyInAnyOrder("auth.blacklist.create", "auth.blacklist.update",
                "auth.blacklist.delete", "auth.blacklist.delete");
    }

    @Test
    void onlyUserManagersMayCallAndNoneMayBlockThemselvesOrAStrongerAccount() {
        Orbit orbit = orbit();
        String operator = orbit.userWithRoles("otto", "operator");
        String manager = orbit.userWithRoles("mia", "user-manager");

        assertThat(orbit.get("/auth/blacklist").send().status()).isEqualTo(401);
        assertThat(orbit.get("/auth/blacklist").bearer(operator).send().status()).isEqualTo(403);
        assertThat(orbit.post("/auth/blacklist").bearer(operator).json(rule("x", "username")).send().status())
                .isEqualTo(403);

        Reply own = orbit.post("/auth/blacklist").bearer(manager).json(rule("mi?", "username")).send();
        assertThat(own.status()).isEqualTo(400);
        assertThat(own.detail()).isEqualTo("This rule would block your own account");
        assertThat(orbit.post("/auth/blacklist").bearer(manager).json(rule("otto", "username")).send().status())
                .isEqualTo(403);
        assertThat(orbit.post("/auth/blacklist").bearer(manager).json(rule("someone", "username")).send().status())
                .isEqualTo(200);
        Reply duplicate = orbit.post("/auth/blacklist").bearer(manager).json(rule("SOMEONE", "username")).send();
        assertThat(duplicate.status()).isEqualTo(400);
        assertThat(duplicate.detail()).isEqualTo("An identical blacklist rule already exists");
    }

    @Test
    void badBodiesAndIdsAreClearClientErrors() {
        Orbit orbit = orbit();
        String admin = orbit.adminToken();
        assertThat(orbit.post("/auth/blacklist").bearer(admin).json(Map.of("pattern", "x")).send().status())
                .isEqualTo(422);
        assertThat(orbit.post("/auth/blacklist").bearer(admin).json(Map.of("pattern", 5, "entry_type", "email"))
                .send().status()).isEqualTo(422);
        assertThat(orbit.post("/auth/blacklist").bearer(admin).body("{not json").send().status()).isIn(400, 422);
        assertThat(orbit.post("/auth/blacklist").bearer(admin).json(rule("x", "phone")).send().status()).isEqualTo(400);
        assertThat(orbit.post("/auth/blacklist").bearer(admin).json(rule("x".repeat(321), "email")).send().status())
                .isEqualTo(400);
        assertThat(orbit.post("/auth/blacklist").bearer(admin).json(rule("a\u0000b", "email")).send().status())
                .isEqualTo(400);
        // A NUL in a path is refused by the server before any route (as everywhere), not looked up.
        assertThat(orbit.put("/auth/blacklist/%00").bearer(admin).json(rule("x", "email")).send().status())
                .isIn(400, 404);
        assertThat(orbit.put("/auth/blacklist/no-such-rule").bearer(admin).json(rule("x", "email")).send().status())
                .isEqualTo(404);
    }
}
