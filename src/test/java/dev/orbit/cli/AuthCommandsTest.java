package dev.orbit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AuthCommandsTest extends CliTestBase {
    @Test
    void loginStoresTheTokenInAFileOnlyTheUserCanRead() throws Exception {
        Run run = ok("login", "-u", "admin", "-p", TestGateway.ADMIN_PASSWORD);

        assertThat(run.out()).isEqualTo("Logged in to " + gateway.url() + " as admin (roles: admin)\n");
        Path token = orbit.orbitDir().resolve("token.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(orbit.orbitDir()))).isEqualTo("rwx------");
        assertThat(Files.readString(token)).contains(gateway.url()).containsPattern("\"token\" : \"[0-9a-f]{64}\"");
    }

    @Test
    void loginAsksForTheUsernameAndPasswordWhenTheyAreNotGiven() {
        Run run = orbit.withInput("admin\n" + TestGateway.ADMIN_PASSWORD + "\n", "login");

        assertThat(run.status()).as(run.toString()).isZero();
        assertThat(run.err()).isEqualTo("Username: Password: ");
        assertThat(ok("me").out()).contains("Username:    admin");
    }

    @Test
    void loginWithoutInputNamesTheOptionToPass() {
        Run noUsername = orbit.run("login");
        Run noPassword = orbit.run("login", "-u", "admin");

        assertThat(noUsername.status()).isEqualTo(1);
        assertThat(noUsername.err()).isEqualTo("Username: \norbit: no input for username; pass --username\n");
        assertThat(noPassword.status()).isEqualTo(1);
        assertThat(noPassword.err()).isEqualTo("Password: \norbit: no input for the password; pass --password\n");
    }

    @Test
    void aWrongPasswordIsTheServersDetailAndStoresNothing() {
        fails("Invalid username or password", "login", "-u", "admin", "-p", "wrong-password");

        assertThat(orbit.orbitDir().resolve("token.json")).doesNotExist();
    }

    @Test
    void loginAsJsonShowsTheUserButNeverTheToken() {
        JsonNode json = ok("--output", "json", "login", "-u", "admin", "-p", TestGateway.ADMIN_PASSWORD).json();

        assertThat(json.path("server_url").asText()).isEqualTo(gateway.url());
        assertThat(json.path("user").path("username").asText()).isEqualTo("admin");
        assertThat(json.toString()).doesNotContainPattern("[0-9a-f]{64}");
    }

    @Test
    void meShowsTheLoggedInUserAsFieldsOrJson() {
        loginAsAdmin();

        assertThat(ok("me").out()).contains("Username:    admin\n").contains("Roles:       admin\n")
                .contains("Active:      yes\n");
        JsonNode me = ok("--output", "json", "me").json();
        assertThat(me.path("username").asText()).isEqualTo("admin");
        assertThat(me.has("created_at") && me.has("last_login")).isTrue();
    }

    @Test
    void meWithoutLoggingInSaysToLogIn() {
        fails("not logged in to " + gateway.url() + ": run orbit login", "me");
    }

    @Test
    void aTokenTheServerNoLongerAcceptsSaysTheSessionExpired() throws Exception {
        loginAsAdmin();
        Path token = orbit.orbitDir().resolve("token.json");
        Files.writeString(token, Files.readString(token).replaceAll("[0-9a-f]{64}", "0".repeat(64)));

        fails("session expired or no longer valid: run orbit login", "me");
    }

    @Test
    void authStatusSaysWhetherTheSessionIsValid() {
        Run before = orbit.run("auth-status");
        assertThat(before.status()).isEqualTo(1);
        assertThat(before.out()).isEqualTo("Not logged in to " + gateway.url() + ": run orbit login\n");

        loginAsAdmin();

        assertThat(ok("auth-status").out()).isEqualTo("Logged in to " + gateway.url() + " as admin (roles: admin)\n");
        assertThat(ok("--output", "json", "auth-status").json().path("authenticated").asBoolean()).isTrue();
    }

    @Test
    void aLoginIsOnlyUsedForTheServerThatIssuedIt() {
        loginAsAdmin();

        Run other = orbit.run("--server-url", "http://127.0.0.1:1", "auth-status");

        assertThat(other.status()).isEqualTo(1);
        assertThat(other.out()).isEqualTo("Not logged in to http://127.0.0.1:1 (the stored login is for "
                + gateway.url() + "): run orbit login\n");
    }

    @Test
    void logoutEndsTheSessionOnTheServerAndForgetsTheToken() throws Exception {
        loginAsAdmin();
        String token = storedToken();

        assertThat(ok("logout").out()).isEqualTo("Logged out of " + gateway.url() + "\n");

        assertThat(orbit.orbitDir().resolve("token.json")).doesNotExist();
        HttpResponse<String> me = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway.url()
                + "/auth/me")).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(me.statusCode()).isEqualTo(401);
        assertThat(ok("logout").out()).isEqualTo("Not logged in\n");
    }

    @Test
    void registerCreatesAUserWhoCanLogIn() {
        loginAsAdmin();

        Run run = ok("register", "-u", "alice", "-p", "alice-pass1", "--roles", "analyst,auditor");

        assertThat(run.out()).startsWith("Registered alice (id ").endsWith(", roles: analyst,auditor)\n");
        assertThat(ok("login", "-u", "alice", "-p", "alice-pass1").out()).contains("as alice (roles: analyst,auditor)");
    }

    @Test
    void registerAsksForThePasswordAndTakesOneRole() {
        loginAsAdmin();

        Run run = orbit.withInput("bob-pass-12\n", "register", "-u", "bob", "-r", "operator");

        assertThat(run.status()).as(run.toString()).isZero();
        assertThat(run.err()).isEqualTo("Password for bob: ");
        assertThat(ok("--output", "json", "register", "-u", "carol", "-p", "carol-pass1").json().path("roles").toString())
                .isEqualTo("[\"user\"]");
        assertThat(ok("login", "-u", "bob", "-p", "bob-pass-12").out()).contains("(roles: operator)");
    }

    @Test
    void registerRefusesOneRoleAndSeveralRolesTogether() {
        loginAsAdmin();

        Run run = orbit.run("register", "-u", "bob", "-p", "bob-pass-12", "-r", "operator", "--roles", "auditor");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("orbit: -r/--role and --roles cannot be used together; give every role with"
                + " --roles ROLE[,ROLE...] (see 'orbit register --help')\n");
        assertThat(ok("--output", "json", "user", "list").json()).hasSize(1);
    }

    @Test
    void commandsThatNeedALoginSaySoBeforeAskingForAnything() {
        String notLoggedIn = "orbit: not logged in to " + gateway.url() + ": run orbit login\n";

        for (String[] args : new String[][] {{"register", "-u", "bob"}, {"user", "change-password"},
                {"user", "delete", "--username", "bob"}, {"user", "deactivate", "--user-id", "x"},
                {"key", "delete", "--key", "orbit_x"}, {"prompt", "delete", "--id", "x"}}) {
            Run run = orbit.withInput("bob-pass-12\nbob-pass-12\ny\n", args);

            assertThat(run.status()).as(run.toString()).isEqualTo(1);
            assertThat(run.err()).as(String.join(" ", args)).isEqualTo(notLoggedIn);
        }
    }

    @Test
    void registerWithoutUsersManageIsPermissionDenied() {
        loginAsNew("olivia", "operator");

        fails("permission denied: Missing required permission(s): users.manage",
                "register", "-u", "mallory", "-p", "mallory-pass1");
    }

    @Test
    void registeringATakenUsernameShowsTheServersDetail() {
        loginAsAdmin();

        fails("Username already exists", "register", "-u", "admin", "-p", "another-pass1");
        fails("Password must be 8-128 characters without whitespace", "register", "-u", "dave", "-p", "short");
    }

    @Test
    void verboseShowsEachRequestAndItsStatusButNoSecret() throws Exception {
        loginAsAdmin();

        Run run = ok("-v", "me");

        assertThat(run.err()).matches("> GET " + Pattern.quote(gateway.url()) + "/auth/me\\n< 200 \\(\\d+ ms\\)\\n");
        assertThat(run.err()).doesNotContain(storedToken());
    }
}
