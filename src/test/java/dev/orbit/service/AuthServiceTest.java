package dev.orbit.service;

import static dev.orbit.db.Filters.all;
import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.OrbitSchema.SESSIONS;
import static dev.orbit.db.OrbitSchema.USERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.orbit.db.DatabaseException;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.Updates;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link AuthService} on one backend (a subclass per backend). */
abstract class AuthServiceTest extends ServiceTestBase {
    /**
     * A password hash in the reference's legacy form, base64(salt ‖ PBKDF2-HMAC-SHA256 key), made by Python:
     * {@code base64.b64encode(bytes(range(16)) + hashlib.pbkdf2_hmac('sha256', 'légacy-Pass1'.encode(),
     * bytes(range(16)), 1000))}.
     */
    static final String LEGACY_HASH = "AAECAwQFBgcICQoLDA0ODwShw2ZWXi5J2RPbZviP5lzG1OK6CLciasjfxY8C9mDe";
    static final String LEGACY_PASSWORD = "légacy-Pass1";

    AuthService auth;
    User admin;

    @BeforeEach
    void bootstrapAdmin() {
        auth = authService(db(), authSettings());
        auth.bootstrap();
        admin = auth.userByUsername("admin");
    }

    private User register(String username, String... roles) {
        return auth.register(admin, username, "pass-" + username, null, roles.length == 0 ? null : List.of(roles));
    }

    private String login(String username) {
        return auth.login(username, "pass-" + username, "10.0.0.1").token();
    }

    // --- bootstrap -------------------------------------------------------------------------------------

    @Test
    void bootstrap_creates_the_default_admin_with_the_configured_password_once() {
        assertThat(admin.roles()).containsExactly("admin");
        assertThat(admin.permissions()).containsExactly("*");
        String token = auth.login("admin", "admin-Secret1", null).token();
        assertThat(auth.authenticate(token).username()).isEqualTo("admin");

        AuthService later = authService(db(), authSettings().withDefaultAdminPassword("another-Pass2"));
        assertThat(later.bootstrap()).isEmpty();
        assertThatThrownBy(() -> later.login("admin", "another-Pass2", null))
                .isInstanceOf(ServiceException.Unauthorized.class);
        assertThat(db().count(USERS, eq("username", "admin"))).isEqualTo(1);
    }

    @Test
    void bootstrap_without_a_configured_password_generates_one_returns_it_once_and_it_works() {
        AuthSettings settings = new AuthSettings(Duration.ofHours(12), "root", null, FAST_PASSWORDS,
                LoginThrottleSettings.defaults());
        AuthService service = authService(db(), settings);
        String generated = service.bootstrap().orElseThrow();
        assertThat(generated).matches("[A-Za-z0-9]{24}");
        assertThat(service.bootstrap()).isEmpty();
        assertThat(service.login("root", generated, null).user().roles()).containsExactly("admin");
    }

    @Test
    void bootstrap_refuses_a_configured_password_that_breaks_the_password_rules() {
        AuthService service = authService(db(), new AuthSettings(Duration.ofHours(1), "root", "short", FAST_PASSWORDS,
                LoginThrottleSettings.defaults()));
        assertThatThrownBy(service::bootstrap).isInstanceOf(ServiceException.InvalidInput.class);
        assertThat(db().count(USERS, eq("username", "root"))).isZero();
    }

    // --- login, sessions ----------------------------------------------------------------------------------

    @Test
    void login_returns_a_64_hex_token_of_which_only_the_sha256_is_stored() {
        register("alice");
        LoginResult result = auth.login("alice", "pass-alice", null);
        assertThat(result.token()).matches("[0-9a-f]{64}");
        assertThat(result.user().lastLogin()).isEqualTo(clock.instant());
        List<String> stored = db().findMany(SESSIONS, all()).stream().map(d -> d.getString("token")).toList();
        assertThat(stored).containsExactly("sha256:" + Secrets.sha256Hex(result.token()));
        assertThat(result.toString()).doesNotContain(result.token());
        Document session = db().findOne(SESSIONS, all()).orElseThrow();
        assertThat(session.getInstant("expires")).isEqualTo(clock.instant().plus(Duration.ofHours(12)));
    }

    @Test
    void new_passwords_are_stored_in_the_self_describing_pbkdf2_form() {
        User alice = register("alice");
        String stored = db().findOne(USERS, eq("_id", alice.id())).orElseThrow().getString("password");
        assertThat(stored).matches("pbkdf2-sha256\\$1000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    }

    @Test
    void unknown_user_wrong_password_and_inactive_account_fail_alike() {
        User bob = register("bob");
        auth.deactivate(admin, bob.id());
        for (String[] attempt : new String[][] {{"nobody", "pass-nobody"}, {"admin", "wrong-password"},
                {"bob", "pass-bob"}, {"", "x"}, {"admin", ""}, {null, "x"}, {"admin", null}, {"a".repeat(300), "x"}}) {
            assertThatThrownBy(() -> auth.login(attempt[0], attempt[1], null))
                    .isInstanceOf(ServiceException.Unauthorized.class).hasMessage("Invalid username or password");
        }
    }

    @Test
    void a_session_expires_after_the_configured_duration() {
        register("alice");
        String token = login("alice");
        clock.advance(Duration.ofHours(12).minusSeconds(1));
        assertThat(auth.authenticate(token).username()).isEqualTo("alice");
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> auth.authenticate(token)).isInstanceOf(ServiceException.Unauthorized.class);
    }

    @Test
    void logout_ends_the_session_and_a_second_logout_is_refused() {
        register("alice");
        String token = login("alice");
        String other = login("alice");
        auth.logout(token);
        assertThatThrownBy(() -> auth.authenticate(token)).isInstanceOf(ServiceException.Unauthorized.class);
        assertThatThrownBy(() -> auth.logout(token)).isInstanceOf(ServiceException.Unauthorized.class);
        assertThat(auth.authenticate(other).username()).isEqualTo("alice");
    }

    @Test
    void a_stored_token_hash_presented_as_a_token_is_refused() {
        register("alice");
        login("alice");
        String stored = db().findOne(SESSIONS, all()).orElseThrow().getString("token");
        assertThatThrownBy(() -> auth.authenticate(stored)).isInstanceOf(ServiceException.Unauthorized.class);
        assertThatThrownBy(() -> auth.authenticate(stored.substring("sha256:".length())))
                .isInstanceOf(ServiceException.Unauthorized.class);
    }

    @Test
    void missing_blank_and_absurd_tokens_are_refused() {
        for (String token : new String[] {null, "", "  ", "x".repeat(10_000)}) {
            assertThatThrownBy(() -> auth.authenticate(token)).isInstanceOf(ServiceException.Unauthorized.class);
        }
    }

    @Test
    void a_legacy_plaintext_token_validates_until_expiry_and_is_stored_hashed_after_first_use() {
        User alice = register("alice");
        String legacy = "ab".repeat(32);
        db().insertOne(SESSIONS, Document.of("token", legacy, "user_id", alice.id(), "username", "alice",
                "expires", clock.instant().plus(Duration.ofHours(1)), "created_at", clock.instant()));

        assertThat(auth.authenticate(legacy).id()).isEqualTo(alice.id());
        assertThat(db().findOne(SESSIONS, all()).orElseThrow().getString("token"))
                .isEqualTo("sha256:" + Secrets.sha256Hex(legacy));
        assertThat(auth.authenticate(legacy).id()).isEqualTo(alice.id());

        clock.advance(Duration.ofHours(1));
        assertThatThrownBy(() -> auth.authenticate(legacy)).isInstanceOf(ServiceException.Unauthorized.class);
    }

    @Test
    void a_session_of_a_deleted_or_deactivated_user_is_refused_even_if_its_row_survives() {
        User alice = register("alice");
        String token = login("alice");
        // Deactivate behind the service's back: the row stays, the check on the account still refuses.
        db().updateOne(USERS, eq("_id", alice.id()), dev.orbit.db.Updates.set("active", false));
        assertThatThrownBy(() -> auth.authenticate(token)).isInstanceOf(ServiceException.Unauthorized.class);
    }

    @Test
    void a_manager_changes_apply_to_reference_accounts_with_and_without_a_roles_field() {
        User manager = register("manager", "user-manager");
        String id = db().insertOne(USERS, Document.of("username", "olduser", "password", LEGACY_HASH, "role", "user",
                "active", true, "created_at", Instant.parse("2024-01-01T00:00:00Z")));

        auth.resetPassword(manager, id, "brand-new-1");
        auth.deactivate(manager, id);
        auth.activate(manager, id);
        assertThat(auth.login("olduser", "brand-new-1", null).user().id()).isEqualTo(id);

        // With a roles list now (as this code writes), the checked roles still match what is stored.
        db().updateOne(USERS, eq("_id", id), Updates.set("roles", List.of("user")));
        assertThat(auth.setRoles(manager, id, List.of("user-manager")).roles()).containsExactly("user-manager");
        auth.delete(manager, id);
        assertThatThrownBy(() -> auth.user(id)).isInstanceOf(ServiceException.NotFound.class);
    }

    // --- legacy passwords ---------------------------------------------------------------------------------

    @Test
    void a_legacy_password_hash_made_with_the_reference_formula_logs_in_and_is_rehashed() {
        String id = db().insertOne(USERS, Document.of("username", "olduser", "password", LEGACY_HASH, "role", "user",
                "active", true, "created_at", Instant.parse("2024-01-01T00:00:00Z")));
        assertThatThrownBy(() -> auth.login("olduser", "wrong-password", null))
                .isInstanceOf(ServiceException.Unauthorized.class);
        assertThat(passwordOf(id)).isEqualTo(LEGACY_HASH);

        LoginResult result = auth.login("olduser", LEGACY_PASSWORD, null);
        assertThat(result.user().roles()).containsExactly("user"); // no "roles" field in the reference's row
        assertThat(passwordOf(id)).startsWith("pbkdf2-sha256$1000$");
        assertThat(auth.login("olduser", LEGACY_PASSWORD, null).user().id()).isEqualTo(id);
    }

    @Test
    void a_hash_with_fewer_rounds_than_configured_is_upgraded_at_login() {
        User alice = register("alice");
        AuthService stronger = authService(db(), authSettings().withPasswords(new PasswordSettings(2_000, 1_000, 1, 16)));
        stronger.login("alice", "pass-alice", null);
        assertThat(passwordOf(alice.id())).startsWith("pbkdf2-sha256$2000$");
        assertThat(auth.login("alice", "pass-alice", null).user().id()).isEqualTo(alice.id());
    }

    @Test
    void concurrent_first_logins_with_a_legacy_hash_all_succeed_and_leave_one_valid_new_hash() throws Exception {
        String id = db().insertOne(USERS, Document.of("username", "olduser", "password", LEGACY_HASH, "role", "user",
                "active", true, "created_at", clock.instant()));
        List<LoginResult> results = concurrently(12, () -> auth.login("olduser", LEGACY_PASSWORD, "10.0.0.2"));
        assertThat(results).hasSize(12);
        assertThat(passwordOf(id)).startsWith("pbkdf2-sha256$");
        assertThat(auth.login("olduser", LEGACY_PASSWORD, null).user().id()).isEqualTo(id);
    }

    private String passwordOf(String userId) {
        return db().findOne(USERS, eq("_id", userId)).orElseThrow().getString("password");
    }

    // --- concurrency ----------------------------------------------------------------------------------------

    @Test
    void concurrent_logins_of_one_user_all_succeed_with_distinct_working_tokens() throws Exception {
        register("alice");
        List<LoginResult> results = concurrently(24, () -> auth.login("alice", "pass-alice", "10.0.0.3"));
        Set<String> tokens = new HashSet<>();
        results.forEach(r -> tokens.add(r.token()));
        assertThat(tokens).hasSize(24);
        for (String token : tokens) {
            assertThat(auth.authenticate(token).username()).isEqualTo("alice");
        }
        assertThat(db().count(SESSIONS, all())).isEqualTo(24);
    }

    /**
     * Logins in flight while the password is reset may insert their session after the reset ended the user's
     * sessions; once the reset has returned, none of the tokens issued for the old password may work. Several
     * rounds, each racing logins with the round's password against a reset to the next one.
     */
    @Test
    void no_session_opened_with_the_old_password_survives_a_reset_that_has_returned() throws Exception {
        User alice = register("alice");
        String password = "pass-alice";
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            for (int round = 0; round < 15; round++) {
                String current = password;
                java.util.concurrent.ConcurrentLinkedQueue<String> tokens = new java.util.concurrent.ConcurrentLinkedQueue<>();
                java.util.concurrent.atomic.AtomicBoolean refused = new java.util.concurrent.atomic.AtomicBoolean();
                List<Future<?>> loops = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    int thread = t;
                    loops.add(pool.submit(() -> {
                        // Until the new password is in force: then logins with the old one fail.
                        while (!refused.get()) {
                            try {
                                tokens.add(auth.login("alice", current, "10.1.0." + thread).token());
                            } catch (ServiceException.Unauthorized e) {
                                refused.set(true);
                            } catch (ServiceException.TooManyRequests e) {
                                Thread.onSpinWait(); // the hasher's queue is full: try again
                            }
                        }
                        return null;
                    }));
                }
                while (tokens.size() < 3) {
                    Thread.onSpinWait();
                }
                password = "reset-pass-" + round;
                auth.resetPassword(admin, alice.id(), password);
                for (Future<?> loop : loops) {
                    loop.get();
                }
                for (String token : tokens) {
                    assertThatThrownBy(() -> auth.authenticate(token)).as("round %d", round)
                            .isInstanceOf(ServiceException.Unauthorized.class);
                }
                clock.advance(Duration.ofMinutes(16)); // the throttle forgets this round's refused logins
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(auth.login("alice", password, null).user().id()).isEqualTo(alice.id());
    }

    @Test
    void a_session_opened_before_a_deactivation_stays_dead_after_the_account_is_activated_again() {
        User alice = register("alice");
        String token = login("alice");
        // The row survives (as a login racing the deactivation would insert it after the sessions were ended).
        Document session = db().findOne(SESSIONS, eq("user_id", alice.id())).orElseThrow();
        auth.deactivate(admin, alice.id());
        db().insertOne(SESSIONS, session);
        auth.activate(admin, alice.id());
        assertThatThrownBy(() -> auth.authenticate(token)).isInstanceOf(ServiceException.Unauthorized.class);
        assertThat(auth.authenticate(login("alice")).id()).isEqualTo(alice.id());
    }

    @Test
    void a_session_row_restored_after_a_password_change_is_refused() {
        User alice = register("alice");
        String token = login("alice");
        Document session = db().findOne(SESSIONS, eq("user_id", alice.id())).orElseThrow();
        auth.changePassword(alice.id(), "pass-alice", "new-pass-1");
        db().insertOne(SESSIONS, session);
        assertThatThrownBy(() -> auth.authenticate(token)).isInstanceOf(ServiceException.Unauthorized.class);
    }

    static <T> List<T> concurrently(int threads, Callable<T> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return work.call();
                }));
            }
            start.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    // --- throttling -----------------------------------------------------------------------------------------

    @Test
    void repeated_failures_for_one_username_are_refused_with_429_before_any_work_then_allowed_again() {
        register("alice");
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> auth.login("alice", "wrong-password", "10.0.0.4"))
                    .isInstanceOf(ServiceException.Unauthorized.class);
        }
        // The sixth failure starts a block of this name from this address: even the right password is refused.
        assertThatThrownBy(() -> auth.login("alice", "wrong-password", "10.0.0.4"))
                .isInstanceOf(ServiceException.Unauthorized.class);
        assertThatThrownBy(() -> auth.login("ALICE", "pass-alice", "10.0.0.4"))
                .isInstanceOfSatisfying(ServiceException.TooManyRequests.class,
                        e -> assertThat(e.retryAfterSeconds()).isEqualTo(1));
        assertThatThrownBy(() -> auth.login("alice", "pass-alice", "10.0.0.4"))
                .isInstanceOf(ServiceException.TooManyRequests.class);
        assertThat(auth.userByUsername("alice").lastLogin()).isNull();

        clock.advance(Duration.ofSeconds(1));
        assertThat(auth.login("alice", "pass-alice", "10.9.9.9").user().username()).isEqualTo("alice");
        // Success forgets the username's failures: one more mistake is not blocked.
        assertThatThrownBy(() -> auth.login("alice", "wrong-password", "10.9.9.9"))
                .isInstanceOf(ServiceException.Unauthorized.class);
        assertThat(auth.login("alice", "pass-alice", "10.9.9.9").token()).hasSize(64);
    }

    @Test
    void wrong_passwords_from_another_address_never_keep_the_user_out() {
        register("alice");
        // An attacker guesses at alice from one address, keeping up one try every five minutes for hours.
        for (int i = 0; i < 30; i++) {
            assertThatThrownBy(() -> auth.login("alice", "wrong-password", "203.0.113.66"))
                    .isInstanceOfAny(ServiceException.Unauthorized.class, ServiceException.TooManyRequests.class);
        }
        for (int i = 0; i < 24; i++) {
            clock.advance(Duration.ofMinutes(5));
            assertThatThrownBy(() -> auth.login("alice", "wrong-password", "203.0.113.66"))
                    .isInstanceOfAny(ServiceException.Unauthorized.class, ServiceException.TooManyRequests.class);
            // alice, from an address she has never used before, is not refused.
            assertThat(auth.login("alice", "pass-alice", "10.0.0." + i).user().username()).isEqualTo("alice");
        }
        assertThatThrownBy(() -> auth.login("alice", "pass-alice", "203.0.113.66"))
                .isInstanceOf(ServiceException.TooManyRequests.class);
    }

    @Test
    void guesses_at_one_name_from_many_addresses_block_new_addresses_but_not_those_the_user_logged_in_from() {
        register("alice");
        login("alice"); // from 10.0.0.1, which is known for alice from now on
        for (int i = 0; i < 21; i++) {
            String address = "198.51.100." + i;
            assertThatThrownBy(() -> auth.login("Alice", "wrong-password", address))
                    .isInstanceOf(ServiceException.Unauthorized.class);
        }
        assertThatThrownBy(() -> auth.login("alice", "pass-alice", "192.0.2.99"))
                .isInstanceOf(ServiceException.TooManyRequests.class);
        assertThat(auth.login("alice", "pass-alice", "10.0.0.1").user().username()).isEqualTo("alice");
        // The block is short (it doubles with each further failing address, up to five minutes).
        clock.advance(Duration.ofSeconds(1));
        assertThat(auth.login("alice", "pass-alice", "192.0.2.99").user().username()).isEqualTo("alice");
    }

    @Test
    void the_addresses_of_one_ipv6_network_count_as_one_address() {
        register("alice");
        for (int i = 0; i < 21; i++) {
            String address = "2001:db8:1:2::" + Integer.toHexString(i + 1);
            assertThatThrownBy(() -> auth.login("nobody" + address.hashCode(), "wrong-password", address))
                    .isInstanceOf(ServiceException.Unauthorized.class);
        }
        assertThatThrownBy(() -> auth.login("alice", "pass-alice", "2001:0db8:0001:0002:ffff:0:0:1"))
                .isInstanceOf(ServiceException.TooManyRequests.class);
        assertThat(auth.login("alice", "pass-alice", "2001:db8:1:3::1").user().username()).isEqualTo("alice");
    }

    @Test
    void overlong_usernames_are_refused_before_the_throttle_records_anything_about_them() {
        String huge = "u".repeat(1_000_000);
        for (int i = 0; i < 100; i++) {
            String address = "10.3." + (i / 250) + "." + (i % 250);
            assertThatThrownBy(() -> auth.login(huge + address, "some-password", address))
                    .isInstanceOf(ServiceException.Unauthorized.class);
        }
        long stored = db().findMany(dev.orbit.db.OrbitSchema.RATE_COUNTERS, dev.orbit.db.Filters.all()).stream()
                .mapToLong(row -> row.getString("counter_key").length()).sum();
        assertThat(stored).isLessThan(100 * 200);
    }

    @Test
    void each_further_failure_doubles_the_block_up_to_five_minutes() {
        register("alice");
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> auth.login("alice", "wrong-password", null))
                    .isInstanceOf(ServiceException.Unauthorized.class);
        }
        List<Duration> blocks = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            assertThatThrownBy(() -> auth.login("alice", "wrong-password", null))
                    .isInstanceOf(ServiceException.Unauthorized.class);
            ServiceException.TooManyRequests blocked = catchThrowableOfType(ServiceException.TooManyRequests.class,
                    () -> auth.login("alice", "wrong-password", null));
            blocks.add(blocked.retryAfter());
            clock.advance(blocked.retryAfter());
        }
        assertThat(blocks).startsWith(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(16));
        assertThat(blocks).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofMinutes(5)));
        assertThat(blocks.getLast()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void failures_are_forgotten_after_a_quiet_quarter_of_an_hour() {
        register("alice");
        for (int i = 0; i < 6; i++) {
            assertThatThrownBy(() -> auth.login("alice", "wrong-password", null))
                    .isInstanceOf(ServiceException.Unauthorized.class);
        }
        clock.advance(Duration.ofSeconds(1).plusMinutes(15));
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> auth.login("alice", "wrong-password", null))
                    .isInstanceOf(ServiceException.Unauthorized.class);
        }
        assertThat(auth.login("alice", "pass-alice", null).token()).hasSize(64);
    }

    @Test
    void many_usernames_tried_from_one_address_get_that_address_throttled() {
        register("alice");
        for (int i = 0; i < 20; i++) {
            String name = "user" + i;
            assertThatThrownBy(() -> auth.login(name, "wrong-password", "192.0.2.7"))
                    .isInstanceOf(ServiceException.Unauthorized.class);
        }
        assertThatThrownBy(() -> auth.login("user20", "wrong-password", "192.0.2.7"))
                .isInstanceOf(ServiceException.Unauthorized.class);
        assertThatThrownBy(() -> auth.login("alice", "pass-alice", "192.0.2.7"))
                .isInstanceOf(ServiceException.TooManyRequests.class);
        assertThat(auth.login("alice", "pass-alice", "198.51.100.1").token()).hasSize(64);
    }

    // --- registration and account management -------------------------------------------------------------

    @Test
    void register_refuses_invalid_usernames_passwords_roles_and_taken_names_with_400() {
        register("alice");
        String[][] refused = {{"ab", "good-pass1"}, {"a".repeat(51), "good-pass1"}, {"bad name", "good-pass1"},
                {"bad/name", "good-pass1"}, {"carol", "short"}, {"carol", "has space1"}, {"carol", "x".repeat(129)},
                {"alice", "good-pass1"}};
        for (String[] r : refused) {
            assertThatThrownBy(() -> auth.register(admin, r[0], r[1], null, null))
                    .as(r[0] + " / " + r[1]).isInstanceOf(ServiceException.InvalidInput.class);
        }
        assertThatThrownBy(() -> auth.register(admin, "carol", "good-pass1", "wizard", null))
                .isInstanceOf(ServiceException.InvalidInput.class).hasMessageContaining("wizard");
        assertThatThrownBy(() -> auth.register(admin, "alice", "good-pass1", null, null)).hasMessage("Username already exists");
        assertThat(auth.register(admin, "a.b-c_9", "x".repeat(128), null, null).role()).isEqualTo("user");
    }

    @Test
    void usernames_differing_only_in_case_are_one_name_for_new_accounts() {
        User alice = register("alice");
        for (String variant : new String[] {"Alice", "ALICE", "aLiCe"}) {
            assertThatThrownBy(() -> auth.register(admin, variant, "good-pass1", null, null)).as(variant)
                    .isInstanceOf(ServiceException.InvalidInput.class).hasMessage("Username already exists");
        }
        assertThat(auth.listUsers(null, false, 100, 0)).extracting(User::username).containsExactly("admin", "alice");
        assertThat(auth.login("alice", "pass-alice", null).user().id()).isEqualTo(alice.id());
    }

    @Test
    void the_database_refuses_a_second_account_whose_name_differs_only_in_case_from_another_process() throws Exception {
        // Two processes registering case variants at once: the unique index, not the check, decides.
        AuthService other = authService(anotherHandle(), authSettings());
        for (int round = 0; round < 5; round++) {
            String name = "carol" + round;
            java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();
            List<Boolean> created = concurrently(2, () -> {
                boolean upper = turn.getAndIncrement() == 0;
                try {
                    (upper ? other : auth).register(admin, upper ? name.toUpperCase() : name, "good-pass1", null, null);
                    return true;
                } catch (ServiceException.InvalidInput e) {
                    return false;
                }
            });
            assertThat(db().count(USERS, dev.orbit.db.Filters.containsIgnoreCase("username", name))).as(name).isEqualTo(1);
            assertThat(created).as(name).containsOnlyOnce(true);
        }
        Document twin = Document.of("username", "Dave", "username_key", "carol0", "password", LEGACY_HASH, "role", "user",
                "active", true, "created_at", clock.instant());
        assertThatThrownBy(() -> db().insertOne(USERS, twin)).isInstanceOf(dev.orbit.db.DuplicateKeyException.class);
    }

    @Test
    void reference_accounts_without_a_folded_name_log_in_as_before_and_block_their_case_variants() {
        String id = db().insertOne(USERS, Document.of("username", "OldUser", "password", LEGACY_HASH, "role", "user",
                "active", true, "created_at", Instant.parse("2024-01-01T00:00:00Z")));
        assertThat(auth.login("OldUser", LEGACY_PASSWORD, null).user().id()).isEqualTo(id);
        assertThatThrownBy(() -> auth.register(admin, "olduser", "good-pass1", null, null))
                .isInstanceOf(ServiceException.InvalidInput.class).hasMessage("Username already exists");
        assertThat(auth.register(admin, "olduser2", "good-pass1", null, null).username()).isEqualTo("olduser2");
    }

    @Test
    void password_lengths_count_characters_and_no_break_spaces_are_whitespace_as_in_the_reference() {
        // Four emoji are eight UTF-16 units but four characters: too short, as Python's len() says.
        assertThatThrownBy(() -> auth.register(admin, "carol", "😀😀😀😀", null, null)).isInstanceOf(ServiceException.InvalidInput.class);
        assertThat(auth.register(admin, "dave", "😀".repeat(128), null, null).username()).isEqualTo("dave");
        for (String space : new String[] {"\u00a0", "\u2007", "\u202f", "\u0085", "\u3000"}) {
            assertThatThrownBy(() -> auth.register(admin, "erin", "abc" + space + "defgh", null, null))
                    .as("U+%04X", (int) space.charAt(0)).isInstanceOf(ServiceException.InvalidInput.class);
        }
    }

    @Test
    void a_user_manager_cannot_grant_or_take_over_more_power_than_they_hold() {
        User manager = register("manager", "user-manager");
        User operator = register("operator", "operator");
        User plain = register("plain");

        for (List<String> roles : List.of(List.of("admin"), List.of("operator"), List.of("user", "auditor"))) {
            assertThatThrownBy(() -> auth.register(manager, "sneaky", "good-pass1", null, roles))
                    .as("register with %s", roles).isInstanceOf(ServiceException.Forbidden.class);
            assertThatThrownBy(() -> auth.setRoles(manager, plain.id(), roles))
                    .as("set %s", roles).isInstanceOf(ServiceException.Forbidden.class);
        }
        for (User stronger : List.of(admin, operator)) {
            assertThatThrownBy(() -> auth.resetPassword(manager, stronger.id(), "taken-over-1"))
                    .isInstanceOf(ServiceException.Forbidden.class);
            assertThatThrownBy(() -> auth.deactivate(manager, stronger.id())).isInstanceOf(ServiceException.Forbidden.class);
            assertThatThrownBy(() -> auth.activate(manager, stronger.id())).isInstanceOf(ServiceException.Forbidden.class);
        }
        assertThatThrownBy(() -> auth.delete(manager, operator.id())).isInstanceOf(ServiceException.Forbidden.class);
        assertThat(auth.user(plain.id()).roles()).containsExactly("user");
        assertThat(auth.userByUsername("admin").active()).isTrue();
        assertThat(auth.login("operator", "pass-operator", null).token()).isNotBlank();

        // Within their own power the manager works as before, and an admin may do anything.
        assertThat(auth.register(manager, "helper", "good-pass1", "user-manager", null).roles()).containsExactly("user-manager");
        auth.resetPassword(manager, plain.id(), "new-pass-1");
        assertThat(auth.setRoles(admin, plain.id(), List.of("admin")).roles()).containsExactly("admin");
    }

    @Test
    void register_with_several_roles_makes_the_first_primary_and_grants_the_union_of_permissions() {
        User carol = auth.register(admin, "carol", "good-pass1", "user", List.of("auditor", "analyst", "auditor"));
        assertThat(carol.role()).isEqualTo("auditor");
        assertThat(carol.roles()).containsExactly("auditor", "analyst");
        assertThat(carol.permissions()).containsExactly("logs.read", "audit.read", "metrics.read",
                "conversations.read", "feedback.read");
        assertThat(auth.register(admin, "dave", "good-pass1", "operator", null).roles()).containsExactly("operator");
        assertThat(auth.roles()).containsExactly("admin", "operator", "auditor", "analyst", "user-manager", "user");
    }

    @Test
    void permissions_are_checked_with_a_403_naming_the_missing_one() {
        User manager = register("manager", "user-manager");
        AuthService.requirePermission(manager, "users.manage");
        AuthService.requirePermission(admin, "anything.at.all");
        assertThatThrownBy(() -> AuthService.requirePermission(manager, "apikeys.manage"))
                .isInstanceOf(ServiceException.Forbidden.class)
                .hasMessage("Missing required permission(s): apikeys.manage");
    }

    @Test
    void change_password_checks_the_current_one_and_ends_every_session_of_the_user() {
        User alice = register("alice");
        String first = login("alice");
        String second = login("alice");
        assertThatThrownBy(() -> auth.changePassword(alice.id(), "wrong-password", "new-pass-1"))
                .isInstanceOf(ServiceException.InvalidInput.class).hasMessage("Current password is incorrect");
        assertThatThrownBy(() -> auth.changePassword(alice.id(), "pass-alice", "bad pass"))
                .isInstanceOf(ServiceException.InvalidInput.class);
        assertThat(auth.authenticate(first).id()).isEqualTo(alice.id());

        auth.changePassword(alice.id(), "pass-alice", "new-pass-1");
        assertThatThrownBy(() -> auth.authenticate(first)).isInstanceOf(ServiceException.Unauthorized.class);
        assertThatThrownBy(() -> auth.authenticate(second)).isInstanceOf(ServiceException.Unauthorized.class);
        assertThatThrownBy(() -> auth.login("alice", "pass-alice", null)).isInstanceOf(ServiceException.Unauthorized.class);
        assertThat(auth.login("alice", "new-pass-1", null).user().id()).isEqualTo(alice.id());
    }

    @Test
    void reset_password_refuses_ones_own_account_and_unknown_users_and_ends_the_targets_sessions() {
        User alice = register("alice");
        String token = login("alice");
        assertThatThrownBy(() -> auth.resetPassword(admin, admin.id(), "new-pass-1"))
                .isInstanceOf(ServiceException.InvalidInput.class);
        assertThatThrownBy(() -> auth.resetPassword(admin, "no-such-id", "new-pass-1"))
                .isInstanceOf(ServiceException.NotFound.class).hasMessage("User not found");
        assertThatThrownBy(() -> auth.resetPassword(admin, "bad\u0000id", "new-pass-1"))
                .isInstanceOf(ServiceException.NotFound.class);
        auth.resetPassword(admin, alice.id(), "reset-pass-1");
        assertThatThrownBy(() -> auth.authenticate(token)).isInstanceOf(ServiceException.Unauthorized.class);
        assertThat(auth.login("alice", "reset-pass-1", null).user().id()).isEqualTo(alice.id());
    }

    @Test
    void deactivate_refuses_ones_own_account_ends_the_users_sessions_and_activate_restores_login() {
        User alice = register("alice");
        String token = login("alice");
        assertThatThrownBy(() -> auth.deactivate(admin, admin.id())).isInstanceOf(ServiceException.InvalidInput.class);
        assertThatThrownBy(() -> auth.deactivate(admin, "missing")).isInstanceOf(ServiceException.NotFound.class);
        assertThatThrownBy(() -> auth.activate(admin, "missing")).isInstanceOf(ServiceException.NotFound.class);

        auth.deactivate(admin, alice.id());
        assertThat(auth.user(alice.id()).active()).isFalse();
        assertThatThrownBy(() -> auth.authenticate(token)).isInstanceOf(ServiceException.Unauthorized.class);
        assertThat(db().count(SESSIONS, eq("user_id", alice.id()))).isZero();
        assertThatThrownBy(() -> login("alice")).isInstanceOf(ServiceException.Unauthorized.class);

        auth.activate(admin, alice.id());
        assertThat(auth.authenticate(login("alice")).active()).isTrue();
    }

    @Test
    void delete_refuses_ones_own_account_and_the_default_admin_and_removes_the_user_with_their_sessions() {
        User alice = register("alice", "user-manager");
        User bob = register("bob");
        String token = login("bob");
        assertThatThrownBy(() -> auth.delete(alice, alice.id())).isInstanceOf(ServiceException.InvalidInput.class);
        assertThatThrownBy(() -> auth.delete(alice, admin.id())).isInstanceOf(ServiceException.NotFound.class);
        assertThat(auth.user(admin.id()).username()).isEqualTo("admin");

        auth.delete(alice, bob.id());
        assertThatThrownBy(() -> auth.user(bob.id())).isInstanceOf(ServiceException.NotFound.class);
        assertThatThrownBy(() -> auth.authenticate(token)).isInstanceOf(ServiceException.Unauthorized.class);
        assertThat(db().count(SESSIONS, eq("user_id", bob.id()))).isZero();
        assertThatThrownBy(() -> auth.delete(alice, bob.id())).isInstanceOf(ServiceException.NotFound.class);
    }

    @Test
    void set_roles_refuses_ones_own_account_and_bad_role_lists_and_takes_effect_at_the_next_request() {
        User bob = register("bob");
        String token = login("bob");
        assertThatThrownBy(() -> auth.setRoles(admin, admin.id(), List.of("user")))
                .isInstanceOf(ServiceException.InvalidInput.class);
        assertThatThrownBy(() -> auth.setRoles(admin, bob.id(), List.of()))
                .isInstanceOf(ServiceException.InvalidInput.class);
        assertThatThrownBy(() -> auth.setRoles(admin, bob.id(), List.of("operator", "king")))
                .isInstanceOf(ServiceException.InvalidInput.class);
        assertThatThrownBy(() -> auth.setRoles(admin, "missing", List.of("user")))
                .isInstanceOf(ServiceException.NotFound.class);
        assertThat(auth.authenticate(token).hasPermission("apikeys.manage")).isFalse();

        User updated = auth.setRoles(admin, bob.id(), List.of("operator", "auditor"));
        assertThat(updated.role()).isEqualTo("operator");
        assertThat(auth.authenticate(token).hasPermission("apikeys.manage")).isTrue();
        assertThat(auth.user(bob.id()).roles()).containsExactly("operator", "auditor");
    }

    @Test
    void list_users_filters_by_any_held_role_and_activity_and_clamps_the_limit() {
        register("alice", "auditor", "analyst");
        User bob = register("bob", "analyst");
        register("carol");
        auth.deactivate(admin, bob.id());

        assertThat(names(auth.listUsers(null, false, 100, 0))).containsExactly("admin", "alice", "bob", "carol");
        assertThat(names(auth.listUsers("analyst", false, 100, 0))).containsExactly("alice", "bob");
        assertThat(names(auth.listUsers("analyst", true, 100, 0))).containsExactly("alice");
        assertThat(names(auth.listUsers(null, false, 0, 0))).containsExactly("admin");
        assertThat(names(auth.listUsers(null, false, 2, 1))).containsExactly("alice", "bob");
        assertThat(names(auth.listUsers(null, false, 5000, -3))).hasSize(4);
    }

    @Test
    void user_by_username_is_404_for_an_unknown_name() {
        assertThatThrownBy(() -> auth.userByUsername("ghost")).isInstanceOf(ServiceException.NotFound.class);
        assertThatThrownBy(() -> auth.userByUsername(null)).isInstanceOf(ServiceException.NotFound.class);
    }

    @Test
    void a_database_failure_propagates_instead_of_becoming_a_refusal() {
        DatabaseService other = anotherHandle();
        AuthService service = authService(other, authSettings());
        other.close();
        assertThatThrownBy(() -> service.login("admin", "admin-Secret1", null)).isInstanceOf(DatabaseException.class);
        assertThatThrownBy(() -> service.authenticate("ab".repeat(32))).isInstanceOf(DatabaseException.class);
    }

    private static List<String> names(List<User> users) {
        return users.stream().map(User::username).toList();
    }
}
