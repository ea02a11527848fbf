package dev.orbit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserCommandTest extends CliTestBase {
    private List<String> usernames(JsonNode users) {
        List<String> names = new ArrayList<>();
        users.forEach(user -> names.add(user.path("username").asText()));
        return names;
    }

    @Test
    void listShowsUsersAsATableOrAJsonArray() {
        loginAsAdmin();
        ok("register", "-u", "alice", "-p", "alice-pass1", "--roles", "analyst");

        Run table = ok("user", "list");
        JsonNode json = ok("--output", "json", "user", "list").json();

        assertThat(table.out().lines().findFirst().orElseThrow())
                .matches("ID +USERNAME +ROLES +ACTIVE +CREATED +LAST LOGIN");
        assertThat(table.out()).containsPattern("alice +analyst +yes +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +-");
        assertThat(json.isArray()).isTrue();
        assertThat(usernames(json)).containsExactlyInAnyOrder("admin", "alice");
    }

    @Test
    void listFiltersByRoleAndActivityAndPages() {
        loginAsAdmin();
        ok("register", "-u", "alice", "-p", "alice-pass1", "--roles", "analyst");
        ok("register", "-u", "bob", "-p", "bob-pass-12", "--roles", "analyst");
        ok("user", "deactivate", "--username", "bob", "--force");

        assertThat(usernames(ok("--output", "json", "user", "list", "--role", "analyst").json()))
                .containsExactlyInAnyOrder("alice", "bob");
        assertThat(usernames(ok("--output", "json", "user", "list", "--role", "analyst", "--active-only").json()))
                .containsExactly("alice");
        assertThat(ok("--output", "json", "user", "list", "--limit", "1").json()).hasSize(1);
        assertThat(ok("--output", "json", "user", "list", "--offset", "3").json()).isEmpty();
        assertThat(ok("user", "list", "--role", "auditor").out()).isEqualTo("No users found.\n");
    }

    @Test
    void resetPasswordWithoutAPasswordPrintsARandomOneThatWorks() {
        loginAsAdmin();
        ok("register", "-u", "alice", "-p", "alice-pass1");

        Run run = ok("user", "reset-password", "--username", "alice");

        assertThat(run.out()).startsWith("Password of alice reset; their sessions have ended.\nNew password: ");
        String password = run.out().lines().toList().get(1).substring("New password: ".length());
        assertThat(password).matches("[A-Za-z0-9]{16}");
        assertThat(ok("login", "-u", "alice", "-p", password).out()).contains("as alice");
    }

    @Test
    void resetPasswordByIdSetsTheGivenPassword() {
        loginAsAdmin();
        ok("register", "-u", "alice", "-p", "alice-pass1");

        JsonNode json = ok("--output", "json", "user", "reset-password", "--user-id", userId("alice"), "--password",
                "brand-new-1").json();

        assertThat(json.has("password")).isFalse();
        assertThat(ok("login", "-u", "alice", "-p", "brand-new-1").status()).isZero();
    }

    @Test
    void anUnknownUserIsTheServersNotFound() {
        loginAsAdmin();

        fails("User not found", "user", "reset-password", "--username", "nobody", "--password", "whatever-1");
        fails("User not found", "user", "activate", "--user-id", "no-such-id");
        fails("User not found", "user", "delete", "--user-id", "no-such-id", "--force");
    }

    @Test
    void deactivatedUsersCannotLogInUntilActivatedAgain() {
        loginAsAdmin();
        ok("register", "-u", "alice", "-p", "alice-pass1");
        String alice = userId("alice");

        assertThat(ok("user", "deactivate", "--user-id", alice, "--force").out()).isEqualTo("Deactivated user " + alice + ".\n");
        fails("Invalid username or password", "login", "-u", "alice", "-p", "alice-pass1");

        loginAsAdmin();
        assertThat(ok("user", "activate", "--user-id", alice).out()).isEqualTo("Activated user " + alice + ".\n");
        assertThat(ok("login", "-u", "alice", "-p", "alice-pass1").status()).isZero();
    }

    @Test
    void deleteAsksFirstAndDoesNothingWithoutAYes() {
        loginAsAdmin();
        ok("register", "-u", "alice", "-p", "alice-pass1");

        Run declined = orbit.withInput("n\n", "user", "delete", "--username", "alice");
        assertThat(declined.status()).isZero();
        assertThat(declined.err()).isEqualTo("Delete alice? [y/N] \n");
        assertThat(declined.out()).isEqualTo("Cancelled.\n");
        assertThat(orbit.withInput("no\n", "--output", "json", "user", "delete", "--username", "alice").json()
                .path("cancelled").asBoolean()).isTrue();
        Run noAnswer = orbit.run("user", "delete", "--username", "alice");
        assertThat(noAnswer.status()).isEqualTo(1);
        assertThat(noAnswer.err()).isEqualTo("Delete alice? [y/N] \n"
                + "orbit: no answer to the question; answer y, or pass --force to skip it\n");
        assertThat(usernames(ok("--output", "json", "user", "list").json())).contains("alice");

        Run confirmed = orbit.withInput("y\n", "user", "delete", "--username", "alice");
        assertThat(confirmed.status()).as(confirmed.toString()).isZero();
        assertThat(confirmed.out()).isEqualTo("Deleted alice.\n");
        assertThat(usernames(ok("--output", "json", "user", "list").json())).containsExactly("admin");
    }

    @Test
    void changePasswordEndsTheSessionAndLogsOutLocally() {
        loginAsNew("alice", "user");

        Run run = orbit.withInput("password-alice\nnew-password-1\n", "user", "change-password");

        assertThat(run.status()).as(run.toString()).isZero();
        assertThat(run.err()).isEqualTo("Current password: New password: ");
        assertThat(run.out()).isEqualTo("Password changed; your sessions have ended: run orbit login.\n");
        assertThat(orbit.orbitDir().resolve("token.json")).doesNotExist();
        fails("Invalid username or password", "login", "-u", "alice", "-p", "password-alice");
        assertThat(ok("login", "-u", "alice", "-p", "new-password-1").status()).isZero();
    }

    @Test
    void aWrongCurrentPasswordChangesNothing() {
        loginAsNew("alice", "user");

        fails("Current password is incorrect", "user", "change-password", "--current-password", "not-my-password",
                "--new-password", "new-password-1");
        assertThat(ok("me").out()).contains("alice");
    }

    @Test
    void rolesListsEveryRole() {
        loginAsAdmin();

        assertThat(ok("user", "roles").out().lines()).contains("admin", "operator", "auditor", "analyst",
                "user-manager", "user");
        assertThat(ok("--output", "json", "user", "roles").json().isArray()).isTrue();
    }

    @Test
    void setRolesReplacesTheRoles() {
        loginAsAdmin();
        ok("register", "-u", "alice", "-p", "alice-pass1");

        assertThat(ok("user", "set-roles", "--username", "alice", "--roles", "auditor,analyst").out())
                .isEqualTo("Roles of alice: auditor,analyst\n");
        fails("Invalid role 'pilot'; valid roles: [admin, operator, auditor, analyst, user-manager, user]",
                "user", "set-roles", "--username", "alice", "--roles", "pilot");
    }

    @Test
    void userAdministrationNeedsUsersManage() {
        loginAsNew("olivia", "operator");

        fails("permission denied: Missing required permission(s): users.manage", "user", "list");
        fails("permission denied: Missing required permission(s): users.manage", "user", "roles");
    }

    @Test
    void userCommandsWithoutLoggingInSayToLogIn() {
        fails("not logged in to " + gateway.url() + ": run orbit login", "user", "list");
    }

    @Test
    void theUserIsNamedByIdOrUsernameNotBoth() {
        Run run = orbit.run("user", "delete", "--user-id", "x", "--username", "y");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).startsWith("orbit: ").contains("mutually exclusive").hasLineCount(1);
    }
}
