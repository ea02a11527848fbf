package dev.orbit.service;

import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.OrbitSchema.USERS;
import static dev.orbit.db.OrbitSchema.USER_BLACKLIST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.db.Filters;
import dev.orbit.db.Updates;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link BlacklistService} and the auth checks it feeds, on one backend (a subclass per backend). */
abstract class BlacklistServiceTest extends ServiceTestBase {
    AuthService auth;
    BlacklistService blacklist;
    User admin;

    @BeforeEach
    void bootstrapAdmin() {
        auth = authService(db(), authSettings());
        auth.bootstrap();
        admin = auth.userByUsername("admin");
        blacklist = new BlacklistService(db(), auth, clock);
    }

    private User register(String username, String... roles) {
        return auth.register(admin, username, "pass-" + username, null, roles.length == 0 ? null : List.of(roles));
    }

    private String login(AuthService service, String username) {
        return service.login(username, "pass-" + username, "10.0.0.1").token();
    }

    private void setEmail(User user, String email) {
        db().updateOne(USERS, eq("_id", user.id()), Updates.set("email", email));
    }

    @Test
    void aRuleIsStoredNormalisedAndListedNewestFirst() {
        blacklist.create(admin, "  Spammer ", "username", " sent spam ");
        clock.advance(Duration.ofMinutes(1));
        blacklist.create(admin, "*@Spam.Example", "EMAIL", null);

        List<BlacklistRule> rules = blacklist.list();
        assertThat(rules).extracting(rule -> rule.pattern().text()).containsExactly("*@spam.example", "spammer");
        BlacklistRule older = rules.get(1);
        assertThat(older.entryType()).isEqualTo(BlacklistRule.EntryType.USERNAME);
        assertThat(older.reason()).isEqualTo("sent spam");
        assertThat(older.createdBy()).isEqualTo("admin");
        assertThat(older.createdAt()).isEqualTo(clock.instant().minus(Duration.ofMinutes(1)));
        assertThat(rules.get(0).reason()).isNull();
    }

    @Test
    void matchingAccountsCannotLogInByUsernameEmailOrIdAndOthersCan() {
        User bob = register("bob");
        User carol = register("carol");
        User dave = register("dave");
        register("erin");
        setEmail(carol, "Carol@Spam.Example");
        blacklist.create(admin, "bo?", "username", null);
        blacklist.create(admin, "*@spam.example", "email", null);
        blacklist.create(admin, dave.id(), "user_id", null);

        for (String refused : List.of("bob", "carol", "dave")) {
            assertThatThrownBy(() -> login(auth, refused)).as(refused)
                    .isInstanceOf(ServiceException.Unauthorized.class).hasMessage("Invalid username or password");
        }
        assertThat(auth.authenticate(login(auth, "erin")).username()).isEqualTo("erin");
        assertThat(bob.id()).isNotNull();
    }

    @Test
    void writingARuleEndsTheMatchedAccountsSessionsOnEveryGatewayAndSaysHowMany() {
        register("bob1");
        register("bob2");
        register("alice");
        AuthService otherGateway = authService(anotherHandle(), authSettings());
        String bob1 = login(auth, "bob1");
        String bob1Again = login(otherGateway, "bob1");
        String bob2 = login(otherGateway, "bob2");
        String alice = login(auth, "alice");
        otherGateway.authenticate(bob1); // the other gateway has read (and cached) the rules: none yet

        BlacklistService.Applied applied = blacklist.create(admin, "bob*", "username", "bots");

        assertThat(applied.matchedUsers()).isEqualTo(2);
        assertThat(applied.revokedSessions()).isEqualTo(3);
        assertThat(applied.rule().id()).isNotNull();
        for (String token : List.of(bob1, bob1Again, bob2)) {
            assertThatThrownBy(() -> otherGateway.authenticate(token)).isInstanceOf(ServiceException.Unauthorized.class);
            assertThatThrownBy(() -> auth.authenticate(token)).isInstanceOf(ServiceException.Unauthorized.class);
        }
        assertThat(otherGateway.authenticate(alice).username()).isEqualTo("alice");
        // A login on the other gateway reads the rules now, whatever it has cached.
        assertThatThrownBy(() -> login(otherGateway, "bob2")).isInstanceOf(ServiceException.Unauthorized.class);
    }

    @Test
    void aMatchingUsernameCannotBeRegistered() {
        blacklist.create(admin, "evil*", "username", null);
        assertThatThrownBy(() -> register("Evil-twin")).isInstanceOf(ServiceException.InvalidInput.class)
                .hasMessage("This username is blocked by a blacklist rule");
        assertThat(db().count(USERS, eq("username", "Evil-twin"))).isZero();
        register("good");
    }

    @Test
    void aDeletedRuleOnAnotherGatewayStopsRefusingSessionsHereWithinTheCacheLifetime() {
        register("bob");
        dev.orbit.db.DatabaseService other = anotherHandle();
        AuthService otherGateway = authService(other, authSettings());
        BlacklistService otherBlacklist = new BlacklistService(other, otherGateway, clock);
        register("alice");
        String alice = login(auth, "alice");
        BlacklistRule rule = blacklist.create(admin, "bob", "username", null).rule();
        auth.authenticate(alice); // this gateway now holds the rules, bob's among them
        otherBlacklist.delete(admin, rule.id());
        String token = login(otherGateway, "bob"); // logins read the rules now: allowed again at once
        assertThat(otherGateway.authenticate(token).username()).isEqualTo("bob");

        // This gateway's token checks still hold the rules from before the delete, for at most the cache's life.
        assertThatThrownBy(() -> auth.authenticate(token)).isInstanceOf(ServiceException.Unauthorized.class);
        clock.advance(LoginBlacklist.DEFAULT_CACHE_TTL.plusSeconds(1));
        assertThat(auth.authenticate(token).username()).isEqualTo("bob");
    }

    @Test
    void duplicatesAfterNormalisingAreRefusedButTheSamePatternForAnotherTypeIsNot() {
        blacklist.create(admin, "mallory", "username", null);
        assertThatThrownBy(() -> blacklist.create(admin, " MALLORY ", "username", "again"))
                .isInstanceOf(ServiceException.InvalidInput.class).hasMessage(BlacklistService.DUPLICATE);
        blacklist.create(admin, "mallory", "email", null);
        assertThat(db().count(USER_BLACKLIST, Filters.all())).isEqualTo(2);
    }

    @Test
    void aRuleMatchingTheCallerIsRefusedAndOneMatchingAStrongerAccountIsForbidden() {
        register("helpdesk", "user-manager");
        User manager = auth.userByUsername("helpdesk");
        register("ops", "operator");

        assertThatThrownBy(() -> blacklist.create(admin, "adm*", "username", null))
                .isInstanceOf(ServiceException.InvalidInput.class).hasMessage("This rule would block your own account");
        assertThatThrownBy(() -> blacklist.create(manager, "ops", "username", null))
                .isInstanceOf(ServiceException.Forbidden.class);
        assertThatThrownBy(() -> blacklist.create(manager, "admin", "username", null))
                .isInstanceOf(ServiceException.Forbidden.class);
        assertThat(db().count(USER_BLACKLIST, Filters.all())).isZero();
        // The admin holds every permission, so an operator is not stronger than them.
        assertThat(blacklist.create(admin, "ops", "username", null).matchedUsers()).isEqualTo(1);
    }

    @Test
    void updateReplacesTheRuleAndEndsTheNewMatchesSessions() {
        register("bob");
        register("carl");
        String carl = login(auth, "carl");
        BlacklistRule rule = blacklist.create(admin, "bob", "username", "first").rule();

        BlacklistService.Applied applied = blacklist.update(admin, rule.id(), "CARL", "username", "second");

        assertThat(applied.rule().id()).isEqualTo(rule.id());
        assertThat(applied.rule().pattern().text()).isEqualTo("carl");
        assertThat(applied.rule().createdAt()).isEqualTo(rule.createdAt());
        assertThat(applied.matchedUsers()).isEqualTo(1);
        assertThat(applied.revokedSessions()).isEqualTo(1);
        assertThatThrownBy(() -> auth.authenticate(carl)).isInstanceOf(ServiceException.Unauthorized.class);
        assertThat(auth.authenticate(login(auth, "bob")).username()).isEqualTo("bob");
        assertThat(blacklist.list()).singleElement().satisfies(r -> assertThat(r.reason()).isEqualTo("second"));
    }

    @Test
    void updateToAnotherRulesPatternIsADuplicateAndUnknownOrHostileIdsAreNotFound() {
        blacklist.create(admin, "one", "username", null);
        BlacklistRule two = blacklist.create(admin, "two", "username", null).rule();
        assertThatThrownBy(() -> blacklist.update(admin, two.id(), "one", "username", null))
                .isInstanceOf(ServiceException.InvalidInput.class).hasMessage(BlacklistService.DUPLICATE);
        for (String id : List.of("no-such-rule", "", "x".repeat(500), "a\u0000b", "507f1f77bcf86cd799439011")) {
            assertThatThrownBy(() -> blacklist.update(admin, id, "three", "username", null)).as(id)
                    .isInstanceOf(ServiceException.NotFound.class);
            assertThatThrownBy(() -> blacklist.delete(admin, id)).as(id).isInstanceOf(ServiceException.NotFound.class);
        }
    }

    @Test
    void deletingARuleLetsItsAccountsLogInAgain() {
        register("bob");
        BlacklistRule rule = blacklist.create(admin, "bob", "username", null).rule();
        assertThatThrownBy(() -> login(auth, "bob")).isInstanceOf(ServiceException.Unauthorized.class);
        blacklist.delete(admin, rule.id());
        assertThat(auth.authenticate(login(auth, "bob")).username()).isEqualTo("bob");
        assertThat(blacklist.list()).isEmpty();
    }

    @Test
    void badRulesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> blacklist.create(admin, "x", "phone", null))
                .isInstanceOf(ServiceException.InvalidInput.class)
                .hasMessage("entry_type must be one of: email, user_id, username");
        assertThatThrownBy(() -> blacklist.create(admin, "x", "username", "r".repeat(501)))
                .isInstanceOf(ServiceException.InvalidInput.class).hasMessage("Reason cannot exceed 500 characters");
        assertThatThrownBy(() -> blacklist.create(admin, "*", "username", null))
                .isInstanceOf(ServiceException.InvalidInput.class);
        assertThat(blacklist.create(admin, "x", "username", "r".repeat(500)).rule().reason()).hasSize(500);
    }
}
