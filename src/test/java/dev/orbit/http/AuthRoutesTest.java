package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthRoutesTest extends GatewayTestBase {
    @Test
    void loginReturnsATokenOf64HexAndTheUserWithPermissions() {
        Reply reply = orbit().post("/auth/login").json(Map.of("username", "admin", "password", Orbit.ADMIN_PASSWORD)).send();

        assertThat(reply.status()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(json.get("token").textValue()).matches("[0-9a-f]{64}");
        JsonNode user = json.get("user");
        assertThat(user.get("username").textValue()).isEqualTo("admin");
        assertThat(user.get("role").textValue()).isEqualTo("admin");
        assertThat(user.get("roles")).containsExactly(com.fasterxml.jackson.databind.node.TextNode.valueOf("admin"));
        assertThat(user.get("permissions").toString()).isEqualTo("[\"*\"]");
        assertThat(user.get("active").booleanValue()).isTrue();
        assertThat(user.has("id") && user.has("email") && user.has("provider")).isTrue();
    }

    @Test
    void aWrongPasswordAnUnknownUserAndAnInactiveAccountAreAllThe401() {
        orbit().userWithRoles("carol", "user");
        String carolId = orbit().get("/auth/users/by-username?username=carol").bearer(orbit().adminToken()).send()
                .json().get("id").textValue();
        orbit().post("/auth/users/" + carolId + "/deactivate").bearer(orbit().adminToken()).send();

        for (Map<String, String> body : List.of(Map.of("username", "admin", "password", "wrong-password"),
                Map.of("username", "nobody", "password", "whatever-1"),
                Map.of("username", "carol", "password", "password-carol"))) {
            Reply reply = orbit().post("/auth/login").json(body).send();
            assertThat(reply.status()).as(body.toString()).isEqualTo(401);
            assertThat(reply.detail()).isEqualTo("Invalid username or password");
        }
    }

    @Test
    void repeatedFailedLoginsAreRefusedWith429AndRetryAfter() {
        Reply last = null;
        for (int i = 0; i < 7; i++) {
            last = orbit().post("/auth/login").json(Map.of("username", "admin", "password", "wrong-" + i)).send();
        }

        assertThat(last.status()).isEqualTo(429);
        assertThat(Long.parseLong(last.header("Retry-After"))).isPositive();
        assertThat(last.detail()).startsWith("Too many failed login attempts");
    }

    @Test
    void loginWithoutAPasswordIsA422NamingTheField() {
        Reply reply = orbit().post("/auth/login").json(Map.of("username", "admin")).send();

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"password\"]");
        assertThat(reply.json().get("detail").get(0).get("type").textValue()).isEqualTo("missing");
    }

    @Test
    void meShowsTheAccountOfTheToken() {
        Reply reply = orbit().get("/auth/me").bearer(orbit().adminToken()).send();

        assertThat(reply.status()).isEqualTo(200);
        JsonNode me = reply.json();
        assertThat(me.get("username").textValue()).isEqualTo("admin");
        assertThat(me.get("created_at").textValue()).matches(JsonTest.ISO_MILLIS);
        assertThat(me.get("last_login").textValue()).endsWith("Z");
        assertThat(me.fieldNames()).toIterable().containsExactly("id", "username", "role", "roles", "active",
                "created_at", "last_login", "provider", "email", "permissions");
        assertThat(me.get("permissions").toString()).isEqualTo("[\"*\"]"); // what the admin console shows pages by
    }

    @Test
    void withoutATokenAProtectedRouteIs401AuthenticationRequired() {
        Reply reply = orbit().get("/auth/me").send();

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.detail()).isEqualTo("Authentication required");
    }

    @Test
    void anInvalidTokenIs401() {
        assertThat(orbit().get("/auth/me").bearer("0".repeat(64)).send().status()).isEqualTo(401);
        assertThat(orbit().get("/auth/me").header("Authorization", "Basic YWRtaW46eA==").send().detail())
                .isEqualTo("Authentication required");
    }

    @Test
    void logoutEndsTheSession() {
        String token = orbit().adminToken();

        Reply reply = orbit().post("/auth/logout").bearer(token).send();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("message").textValue()).isEqualTo("Logout successful");
        assertThat(orbit().get("/auth/me").bearer(token).send().status()).isEqualTo(401);
        assertThat(orbit().post("/auth/logout").bearer(token).send().status()).isEqualTo(401);
        assertThat(orbit().post("/auth/logout").send().detail()).isEqualTo("Authentication required");
    }

    @Test
    void rolesAreListedForUserManagers() {
        Reply reply = orbit().get("/auth/roles").bearer(orbit().adminToken()).send();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("roles").toString()).contains("\"admin\"", "\"operator\"", "\"user-manager\"");
    }

    @Test
    void aUserWithoutUsersManageIsRefusedWith403NamingThePermission() {
        String token = orbit().userWithRoles("plain", "user");

        for (Orbit.Call call : List.of(orbit().get("/auth/roles"), orbit().get("/auth/users"),
                orbit().get("/auth/users/by-username?username=admin"),
                orbit().post("/auth/register").json(Map.of("username", "x-user", "password", "password-1")))) {
            Reply reply = call.bearer(token).send();
            assertThat(reply.status()).isEqualTo(403);
            assertThat(reply.detail()).isEqualTo("Missing required permission(s): users.manage");
        }
    }

    @Test
    void aUserManagerMayManageUsers() {
        String token = orbit().userWithRoles("manager", "user-manager");

        assertThat(orbit().get("/auth/users").bearer(token).send().status()).isEqualTo(200);
    }

    @Test
    void usersAreListedWithRoleActiveAndPagingFilters() {
        orbit().userWithRoles("ana", "analyst");
        orbit().userWithRoles("bob", "user");
        String admin = orbit().adminToken();

        JsonNode all = orbit().get("/auth/users").bearer(admin).send().json();
        JsonNode analysts = orbit().get("/auth/users?role=analyst").bearer(admin).send().json();
        JsonNode page = orbit().get("/auth/users?limit=1&offset=1&active_only=true").bearer(admin).send().json();

        assertThat(all).extracting(u -> u.get("username").textValue()).containsExactly("admin", "ana", "bob");
        assertThat(analysts).extracting(u -> u.get("username").textValue()).containsExactly("ana");
        assertThat(page).extracting(u -> u.get("username").textValue()).containsExactly("ana");
    }

    @Test
    void nonNumericPagingAndANonBooleanFlagAre422NamingTheParameter() {
        String admin = orbit().adminToken();

        Reply limit = orbit().get("/auth/users?limit=ten").bearer(admin).send();
        Reply active = orbit().get("/auth/users?active_only=maybe").bearer(admin).send();

        assertThat(limit.status()).isEqualTo(422);
        assertThat(limit.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"query\",\"limit\"]");
        assertThat(active.status()).isEqualTo(422);
        assertThat(active.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"query\",\"active_only\"]");
    }

    @Test
    void anOutOfRangeLimitIsClampedNotRefused() {
        Reply reply = orbit().get("/auth/users?limit=100000&offset=-5").bearer(orbit().adminToken()).send();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json()).hasSize(1);
    }

    @Test
    void aUserIsFoundByUsernameOr404() {
        String admin = orbit().adminToken();

        Reply found = orbit().get("/auth/users/by-username?username=admin").bearer(admin).send();
        Reply missing = orbit().get("/auth/users/by-username?username=ghost").bearer(admin).send();
        Reply noParameter = orbit().get("/auth/users/by-username").bearer(admin).send();

        assertThat(found.json().fieldNames()).toIterable().containsExactly("id", "username", "role", "roles", "active");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.detail()).isEqualTo("User not found");
        assertThat(noParameter.status()).isEqualTo(422);
    }

    @Test
    void registerCreatesAnActiveUserWhoCanLogIn() {
        Reply reply = orbit().post("/auth/register").bearer(orbit().adminToken())
                .json(Map.of("username", "dora", "password", "dora-password", "roles", List.of("analyst", "user")))
                .send();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("role").textValue()).isEqualTo("analyst");
        assertThat(reply.json().get("roles").toString()).isEqualTo("[\"analyst\",\"user\"]");
        assertThat(orbit().login("dora", "dora-password")).hasSize(64);
    }

    @Test
    void registerRefusesDuplicatesAndInvalidValuesWith400() {
        String admin = orbit().adminToken();

        Reply duplicate = orbit().post("/auth/register").bearer(admin)
                .json(Map.of("username", "admin", "password", "another-pass")).send();
        Reply shortPassword = orbit().post("/auth/register").bearer(admin)
                .json(Map.of("username", "eve", "password", "short")).send();
        Reply badName = orbit().post("/auth/register").bearer(admin)
                .json(Map.of("username", "a b", "password", "long-enough")).send();
        Reply badRole = orbit().post("/auth/register").bearer(admin)
                .json(Map.of("username", "eve", "password", "long-enough", "role", "emperor")).send();

        assertThat(duplicate.status()).isEqualTo(400);
        assertThat(duplicate.detail()).isEqualTo("Username already exists");
        assertThat(shortPassword.status()).isEqualTo(400);
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badRole.status()).isEqualTo(400);
    }

    @Test
    void registerWithRolesOfTheWrongTypeIs422() {
        Reply reply = orbit().post("/auth/register").bearer(orbit().adminToken())
                .body("{\"username\": \"frank\", \"password\": \"long-enough\", \"roles\": [\"user\", 7]}").send();

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"roles\",1]");
    }

    @Test
    void changePasswordNeedsTheCurrentOneAndEndsEverySession() {
        String token = orbit().userWithRoles("gina", "user");
        String other = orbit().login("gina", "password-gina");

        Reply wrong = orbit().post("/auth/change-password").bearer(token)
                .json(Map.of("current_password", "nope-nope", "new_password", "new-password-1")).send();
        Reply ok = orbit().post("/auth/change-password").bearer(token)
                .json(Map.of("current_password", "password-gina", "new_password", "new-password-1")).send();

        assertThat(wrong.status()).isEqualTo(400);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("message").isTextual()).isTrue();
        assertThat(orbit().get("/auth/me").bearer(other).send().status()).isEqualTo(401);
        assertThat(orbit().login("gina", "new-password-1")).hasSize(64);
    }

    @Test
    void resetPasswordSetsAnotherUsersPasswordButNotOnesOwn() {
        orbit().userWithRoles("hank", "user");
        String admin = orbit().adminToken();
        String hankId = userId("hank");
        String adminId = userId("admin");

        Reply ok = orbit().post("/auth/reset-password").bearer(admin)
                .json(Map.of("user_id", hankId, "new_password", "reset-password-1")).send();
        Reply own = orbit().post("/auth/reset-password").bearer(admin)
                .json(Map.of("user_id", adminId, "new_password", "reset-password-1")).send();
        Reply missing = orbit().post("/auth/reset-password").bearer(admin)
                .json(Map.of("user_id", "0123456789abcdef01234567", "new_password", "reset-password-1")).send();

        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("user_id").textValue()).isEqualTo(hankId);
        assertThat(orbit().login("hank", "reset-password-1")).hasSize(64);
        assertThat(own.status()).isEqualTo(400);
        assertThat(missing.status()).isEqualTo(404);
    }

    @Test
    void deactivateEndsTheUsersSessionsAndActivateLetsThemBackIn() {
        String token = orbit().userWithRoles("ivan", "user");
        String admin = orbit().adminToken();
        String id = userId("ivan");

        Reply deactivated = orbit().post("/auth/users/" + id + "/deactivate").bearer(admin).send();

        assertThat(deactivated.status()).isEqualTo(200);
        assertThat(deactivated.json().get("user_id").textValue()).isEqualTo(id);
        assertThat(orbit().get("/auth/me").bearer(token).send().status()).isEqualTo(401);
        assertThat(orbit().post("/auth/login").json(Map.of("username", "ivan", "password", "password-ivan")).send()
                .status()).isEqualTo(401);

        assertThat(orbit().post("/auth/users/" + id + "/activate").bearer(admin).send().status()).isEqualTo(200);
        assertThat(orbit().login("ivan", "password-ivan")).hasSize(64);
    }

    @Test
    void oneCannotDeactivateOrDeleteOrChangeTheRolesOfOnesOwnAccount() {
        String admin = orbit().adminToken();
        String id = userId("admin");

        assertThat(orbit().post("/auth/users/" + id + "/deactivate").bearer(admin).send().status()).isEqualTo(400);
        assertThat(orbit().delete("/auth/users/" + id).bearer(admin).send().status()).isEqualTo(400);
        assertThat(orbit().put("/auth/users/" + id + "/roles").bearer(admin).json(Map.of("roles", List.of("user")))
                .send().status()).isEqualTo(400);
    }

    @Test
    void deleteRemovesAUserAndTheDefaultAdminCannotBeDeleted() {
        orbit().userWithRoles("jill", "user");
        String manager = orbit().userWithRoles("boss", "user-manager");
        String id = userId("jill");

        Reply deleted = orbit().delete("/auth/users/" + id).bearer(manager).send();
        Reply again = orbit().delete("/auth/users/" + id).bearer(manager).send();
        Reply defaultAdmin = orbit().delete("/auth/users/" + userId("admin")).bearer(manager).send();

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().get("user_id").textValue()).isEqualTo(id);
        assertThat(again.status()).isEqualTo(404);
        assertThat(defaultAdmin.status()).isEqualTo(404);
    }

    @Test
    void rolesAreReplacedAndThePrimaryRoleIsTheFirst() {
        orbit().userWithRoles("kim", "user");
        String id = userId("kim");

        Reply reply = orbit().put("/auth/users/" + id + "/roles").bearer(orbit().adminToken())
                .json(Map.of("roles", List.of("auditor", "analyst"))).send();
        Reply empty = orbit().put("/auth/users/" + id + "/roles").bearer(orbit().adminToken())
                .json(Map.of("roles", List.of())).send();
        Reply missing = orbit().put("/auth/users/" + id + "/roles").bearer(orbit().adminToken())
                .json(Map.of()).send();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("roles").toString()).isEqualTo("[\"auditor\",\"analyst\"]");
        assertThat(orbit().get("/auth/users/by-username?username=kim").bearer(orbit().adminToken()).send().json()
                .get("role").textValue()).isEqualTo("auditor");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(missing.status()).isEqualTo(422);
    }

    @Test
    void unknownAndMalformedUserIdsAre404() {
        String admin = orbit().adminToken();

        for (String id : List.of("0123456789abcdef01234567", "00000000-0000-0000-0000-000000000000", "%22quoted%22",
                "x".repeat(300), "..%2Fetc", "%00")) {
            for (Orbit.Call call : List.of(orbit().post("/auth/users/" + id + "/activate"),
                    orbit().post("/auth/users/" + id + "/deactivate"), orbit().delete("/auth/users/" + id),
                    orbit().put("/auth/users/" + id + "/roles").json(Map.of("roles", List.of("user"))))) {
                Reply reply = call.bearer(admin).send();
                assertThat(reply.status()).as(id).isIn(404, 400);
                assertThat(reply.json().has("detail")).isTrue();
            }
        }
        Reply unknown = orbit().post("/auth/users/0123456789abcdef01234567/deactivate").bearer(admin).send();
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.detail()).isEqualTo("User not found");
    }

    private String userId(String username) {
        return orbit().get("/auth/users/by-username?username=" + username).bearer(orbit().adminToken()).send().json()
                .get("id").textValue();
    }
}
