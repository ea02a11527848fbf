package dev.orbit.service;

import static dev.orbit.db.Filters.and;
import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.Filters.in;
import static dev.orbit.db.Filters.or;
import static dev.orbit.db.OrbitSchema.SESSIONS;
import static dev.orbit.db.OrbitSchema.USERS;
import static dev.orbit.db.Updates.combine;
import static dev.orbit.db.Updates.inc;
import static dev.orbit.db.Updates.set;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.DuplicateKeyException;
import dev.orbit.db.Filter;
import dev.orbit.db.FindOptions;
import dev.orbit.db.IdUtils;
import dev.orbit.db.Sort;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users, login sessions and roles. Passwords are slow salted hashes ({@link PasswordHasher}); session tokens
 * are 256 random bits shown once and stored only as SHA-256; legacy plaintext tokens and legacy password
 * hashes of the reference keep working and are upgraded when used.
 *
 * <p>Ending a user's sessions (password reset or change, deactivation) raises the user's
 * {@code credentials_version} before deleting the session rows, and a session counts only while it carries the
 * version its user has now. A login that read the account before the change and inserts its session after the
 * deletion is therefore refused too, by every process on the database: {@link #authenticate} reads the user on
 * every check anyway, so the comparison costs nothing more.
 *
 * <p>Accounts a login blacklist rule matches ({@link LoginBlacklist}) cannot log in, be registered, or use a
 * session.
 */
public final class AuthService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuthService.class);
    static final String INVALID_LOGIN = "Invalid username or password";
    static final String INVALID_SESSION = "Invalid or expired session";
    private static final int MAX_USERS_PAGE = 1000;
    /** Longer than any token we issue or the reference issued; longer input is not looked up. */
    private static final int MAX_TOKEN_LENGTH = 256;
    /** Longer than any name the rules allow (50) or the reference's data holds; longer input is not looked up. */
    private static final int MAX_USERNAME_LENGTH = 256;
    private static final int MAX_PASSWORD_LENGTH = 1024;
    /** Users per statement when many sessions end at once (well under every backend's parameter limit). */
    private static final int SESSION_BATCH = 500;
    private static final String CREDENTIALS_VERSION = "credentials_version";
    /** What each change that must end a user's sessions adds to the account. */
    private static final dev.orbit.db.Update NEW_CREDENTIALS = inc(CREDENTIALS_VERSION, 1L);

    private final DatabaseService db;
    private final AuthSettings settings;
    private final Clock clock;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final LoginBlacklist blacklist;

    public AuthService(DatabaseService db, AuthSettings settings, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.hasher = new PasswordHasher(settings.passwords());
        this.throttle = new LoginThrottle(db, settings.throttle(), clock);
        this.blacklist = new LoginBlacklist(db, settings.blacklistCacheTtl(), clock);
    }

    /**
     * Creates the default admin if that username does not exist, with the configured password or, if none
     * is configured, a generated one, which is returned so that the caller can show it once. Safe when
     * several processes start together: one creates the account, the others find it.
     */
    public Optional<String> bootstrap() {
        String username = AccountRules.username(settings.defaultAdminUsername());
        if (db.findOne(USERS, eq("username", username)).isPresent()) {
            return Optional.empty();
        }
        String configured = settings.defaultAdminPassword();
        boolean generate = configured == null || configured.isEmpty();
        String password = generate ? Secrets.randomAlphanumeric(24) : AccountRules.password(configured);
        try {
            db.insertOne(USERS, newUser(username, hasher.hash(password), List.of(Roles.ADMIN)));
        } catch (DuplicateKeyException e) {
            return Optional.empty(); // another process created it first
        }
        LOG.info("created the default admin account '{}'", username);
        return generate ? Optional.of(password) : Optional.empty();
    }

    /**
     * Checks the password and opens a session. Unknown user, wrong password and inactive account all fail
     * alike with 401; repeated failures are refused with 429 before any work ({@link LoginThrottleSettings}).
     * A username or password over its length limit is refused before anything about it is recorded: only the
     * address's count grows. {@code clientAddress} may be null.
     */
    public LoginResult login(String username, String password, String clientAddress) {
        boolean plausible = username != null && !username.isEmpty() && username.length() <= MAX_USERNAME_LENGTH
                && password != null && !password.isEmpty() && password.length() <= MAX_PASSWORD_LENGTH;
        String name = plausible ? AccountRules.usernameKey(username) : null;
        throttle.check(name, clientAddress);
        if (!plausible) {
            throttle.failed(null, clientAddress);
            throw new ServiceException.Unauthorized(INVALID_LOGIN);
        }
        Optional<Document> found = db.findOne(USERS, eq("username", username));
        if (found.isEmpty()) {
            hasher.verifyNothing(password);
            throttle.failed(name, clientAddress);
            throw new ServiceException.Unauthorized(INVALID_LOGIN);
        }
        Document user = found.get();
        String stored = user.getString("password");
        PasswordHasher.Verification check = hasher.verify(password, stored);
        if (!check.matches() || !user.getBoolean("active", true)) {
            throttle.failed(name, clientAddress);
            throw new ServiceException.Unauthorized(INVALID_LOGIN);
        }
        if (blacklist.matchNow(toUser(user)).isPresent()) {
            // Told apart from a wrong password nowhere: the caller learns nothing about the account or the rule.
            LOG.info("refused the login of user '{}': a blacklist rule matches the account", username);
            throw new ServiceException.Unauthorized(INVALID_LOGIN);
        }
        throttle.succeeded(name, clientAddress);
        if (check.needsRehash()) {
            // Conditional on the old hash: a password changed meanwhile is not overwritten.
            String rehashed = hasher.hash(password);
            if (db.updateOne(USERS, and(eq("_id", user.id()), eq("password", stored)), set("password", rehashed))
                    .matchedCount() == 1) {
                stored = rehashed;
                LOG.info("upgraded the password hash of user '{}'", username);
            }
        }
        Instant now = clock.instant();
        db.updateOne(USERS, eq("_id", user.id()), set("last_login", now));
        String token = Secrets.randomHex(32);
        // Stamped with the version of the account as read above, with the password just checked: if that password
        // was reset meanwhile, the version has moved on and this session never works.
        db.insertOne(SESSIONS, Document.of("token", Secrets.storedHash(token), "user_id", user.id(),
                "username", user.getString("username"), "expires", now.plus(settings.sessionDuration()),
                "created_at", now, CREDENTIALS_VERSION, credentialsVersion(user)));
        requireUnchanged(user, stored, password, token);
        return new LoginResult(token, toUser(user.put("last_login", now)));
    }

    /**
     * Re-reads the account after the session insert and takes the session back unless the account still has the
     * password just checked, its credentials version and is active. The stamp alone relies on an update being
     * seen whole; this also holds when a reader can see one half of it (the in-process MongoDB test server does):
     * a change that completes after this read ends the sessions afterwards, this one included.
     */
    private void requireUnchanged(Document user, String checkedHash, String password, String token) {
        Document now = db.findOne(USERS, eq("_id", user.id())).orElse(null);
        boolean unchanged = now != null && now.getBoolean("active", true)
                && credentialsVersion(now) == credentialsVersion(user)
                && (checkedHash.equals(now.getString("password"))
                        // Re-hashed by a concurrent login (same password, new form): still the password checked.
                        || hasher.verify(password, now.getString("password")).matches());
        if (!unchanged) {
            db.deleteOne(SESSIONS, eq("token", Secrets.storedHash(token)));
            throw new ServiceException.Unauthorized(INVALID_LOGIN);
        }
    }

    /**
     * The user of a valid, unexpired session token whose account exists and is active and whose credentials have
     * not changed since the session was opened; else 401.
     */
    public User authenticate(String token) {
        Document session = findSession(token).orElseThrow(() -> new ServiceException.Unauthorized(INVALID_SESSION));
        Instant expires = session.getInstant("expires");
        if (expires == null || !expires.isAfter(clock.instant())) {
            throw new ServiceException.Unauthorized(INVALID_SESSION);
        }
        Document user = db.findOne(USERS, eq("_id", session.getString("user_id")))
                .filter(u -> u.getBoolean("active", true))
                .orElseThrow(() -> new ServiceException.Unauthorized(INVALID_SESSION));
        if (credentialsVersion(session) != credentialsVersion(user)) {
            db.deleteOne(SESSIONS, eq("_id", session.id())); // opened under credentials that were since replaced
            throw new ServiceException.Unauthorized(INVALID_SESSION);
        }
        User found = toUser(user);
        if (blacklist.matchCached(found).isPresent()) {
            throw new ServiceException.Unauthorized(INVALID_SESSION);
        }
        return found;
    }

    /** Ends the session of this token; 401 when there is none. */
    public void logout(String token) {
        Document session = findSession(token).orElseThrow(() -> new ServiceException.Unauthorized(INVALID_SESSION));
        db.deleteOne(SESSIONS, eq("_id", session.id()));
    }

    /**
     * The anti-forgery token of a session (the admin console sends it with every state-changing call it makes
     * with the session cookie): derived from the session token, so it needs no storage, works on every gateway
     * process, ends with the session, and reveals nothing about the token.
     */
    public static String csrfToken(String sessionToken) {
        return Secrets.sha256Hex("orbit-console-csrf:" + sessionToken);
    }

    /** Whether {@code candidate} is the session's {@link #csrfToken}, compared in constant time. */
    public static boolean isCsrfToken(String sessionToken, String candidate) {
        return candidate != null && Secrets.constantTimeEquals(csrfToken(sessionToken), candidate);
    }

    /** How long a login session lasts ({@code auth.session_duration_hours}). */
    public java.time.Duration sessionDuration() {
        return settings.sessionDuration();
    }

    /** Refuses with 403 unless the user's roles grant the permission. */
    public static void requirePermission(User user, String permission) {
        if (!user.hasPermission(permission)) {
            throw new ServiceException.Forbidden("Missing required permission(s): " + permission);
        }
    }

    public List<String> roles() {
        return Roles.all();
    }

    /** Users by username; {@code role} (optional) matches the primary role or any held role; limit 1..1000. */
    public List<User> listUsers(String role, boolean activeOnly, int limit, int offset) {
        List<Filter> filters = new ArrayList<>();
        if (role != null && !role.isBlank()) {
            filters.add(or(eq("role", role), eq("roles", role)));
        }
        if (activeOnly) {
            filters.add(eq("active", true));
        }
        Paging page = Paging.clamp(limit, offset, MAX_USERS_PAGE);
        FindOptions options = FindOptions.sortedBy(Sort.ascending("username", "_id")).skip(page.offset()).limit(page.limit());
        return db.findMany(USERS, and(filters), options).stream().map(AuthService::toUser).toList();
    }

    public User user(String id) {
        return toUser(userDocument(id));
    }

    public User userByUsername(String username) {
        return db.findOne(USERS, eq("username", username == null ? "" : username)).map(AuthService::toUser)
                .orElseThrow(() -> new ServiceException.NotFound("User not found"));
    }

    /**
     * Creates an active account for {@code actor}. With {@code roles} the primary role is their first, else
     * {@code role} (default "user"). Refuses invalid names, passwords, roles and taken usernames with 400, and
     * roles granting more than the actor holds with 403.
     */
    public User register(User actor, String username, String password, String role, List<String> roles) {
        AccountRules.username(username);
        AccountRules.password(password);
        List<String> held = AccountRules.roles(roles != null && !roles.isEmpty() ? roles
                : List.of(role == null || role.isBlank() ? Roles.USER : role));
        requireMayGrant(actor, held);
        if (nameTaken(username)) {
            throw new ServiceException.InvalidInput("Username already exists");
        }
        Document user = newUser(username, hasher.hash(password), held);
        if (blacklist.matchNow(toUser(user)).isPresent()) {
            throw new ServiceException.InvalidInput("This username is blocked by a blacklist rule");
        }
        try {
            user.put("_id", db.insertOne(USERS, user));
        } catch (DuplicateKeyException e) {
            throw new ServiceException.InvalidInput("Username already exists");
        }
        return toUser(user);
    }

    /** Changes one's own password after checking the current one (400 if wrong); ends all their sessions. */
    public void changePassword(String userId, String currentPassword, String newPassword) {
        Document user = userDocument(userId);
        if (currentPassword == null || currentPassword.isEmpty()
                || !hasher.verify(currentPassword, user.getString("password")).matches()) {
            throw new ServiceException.InvalidInput("Current password is incorrect");
        }
        AccountRules.password(newPassword);
        db.updateOne(USERS, eq("_id", user.id()), combine(set("password", hasher.hash(newPassword)), NEW_CREDENTIALS));
        endSessions(user.id());
    }

    /** Sets another user's password (400 for one's own account); ends all their sessions. */
    public void resetPassword(User actor, String userId, String newPassword) {
        refuseOwnAccount(actor, userId, "You cannot reset your own password here; use change-password");
        AccountRules.password(newPassword);
        Document user = managedUser(actor, userId);
        changeManaged(user, combine(set("password", hasher.hash(newPassword)), NEW_CREDENTIALS));
        endSessions(user.id());
    }

    /** Deactivates another user (400 for one's own account) and ends their sessions. */
    public void deactivate(User actor, String userId) {
        refuseOwnAccount(actor, userId, "You cannot deactivate your own account");
        Document user = managedUser(actor, userId);
        changeManaged(user, combine(set("active", false), NEW_CREDENTIALS));
        endSessions(user.id());
    }

    public void activate(User actor, String userId) {
        Document user = managedUser(actor, userId);
        changeManaged(user, set("active", true));
    }

    /** Deletes another user and their sessions; one's own account is 400, the default admin 404 (as the reference). */
    public void delete(User actor, String userId) {
        refuseOwnAccount(actor, userId, "You cannot delete your own account");
        Document user = userDocument(userId);
        if (settings.defaultAdminUsername().equals(user.getString("username"))) {
            throw new ServiceException.NotFound("The default admin cannot be deleted");
        }
        requireManages(actor, user);
        if (!db.deleteOne(USERS, asChecked(user))) {
            throw changedMeanwhile();
        }
        endSessions(user.id());
    }

    /** Replaces another user's roles (400 for one's own account, no roles or unknown roles); role := roles[0]. */
    public User setRoles(User actor, String userId, List<String> roles) {
        refuseOwnAccount(actor, userId, "You cannot change your own roles");
        List<String> held = AccountRules.roles(roles);
        requireMayGrant(actor, held);
        Document user = managedUser(actor, userId);
        changeManaged(user, combine(set("role", held.getFirst()), set("roles", held)));
        return toUser(user.put("role", held.getFirst()).put("roles", held));
    }

    /**
     * Ends every session of these users on every gateway: raises each one's credentials version (so a session
     * opened meanwhile is refused too), then deletes their session rows. Returns how many rows were deleted.
     */
    long endSessionsOf(List<String> userIds) {
        long ended = 0;
        for (int from = 0; from < userIds.size(); from += SESSION_BATCH) {
            List<String> batch = userIds.subList(from, Math.min(userIds.size(), from + SESSION_BATCH));
            db.updateMany(USERS, in("_id", batch), NEW_CREDENTIALS);
            ended += db.deleteMany(SESSIONS, in("user_id", batch));
        }
        return ended;
    }

    /** The login blacklist these checks consult, for the service that writes its rules. */
    LoginBlacklist blacklist() {
        return blacklist;
    }

    /** The login throttle, for tests of its memory bound. */
    LoginThrottle throttle() {
        return throttle;
    }

    /** Stops the password hashing threads. The database belongs to the caller. */
    @Override
    public void close() {
        hasher.close();
    }

    private Optional<Document> findSession(String token) {
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        Optional<Document> session = db.findOne(SESSIONS, eq("token", Secrets.storedHash(token)));
        if (session.isPresent() || Secrets.isStoredHash(token)) {
            // A presented "sha256:..." value is never looked up as-is: stored hashes must not work as tokens.
            return session;
        }
        Optional<Document> legacy = db.findOne(SESSIONS, eq("token", token));
        legacy.ifPresent(s -> upgradeLegacyToken(s, token));
        return legacy;
    }

    private void upgradeLegacyToken(Document session, String token) {
        try {
            db.updateOne(SESSIONS, and(eq("_id", session.id()), eq("token", token)),
                    set("token", Secrets.storedHash(token)));
        } catch (DuplicateKeyException e) {
            // The hashed form is already stored (a concurrent upgrade): the session works either way.
        }
    }

    /**
     * Whether an account has this name in any case. New accounts are found by {@code username_key}, whose unique
     * index also settles two processes registering case variants at once; the reference's accounts lack the
     * field and are found by a case-insensitive match on the name (registration is rare; the scan is fine).
     */
    private boolean nameTaken(String username) {
        String key = AccountRules.usernameKey(username);
        if (db.findOne(USERS, or(eq("username", username), eq("username_key", key))).isPresent()) {
            return true;
        }
        return db.findMany(USERS, dev.orbit.db.Filters.containsIgnoreCase("username", username), FindOptions.ALL)
                .stream().anyMatch(u -> key.equals(AccountRules.usernameKey(u.getString("username"))));
    }

    /** Missing (reference data, sessions opened before this field existed) is 0 on both sides. */
    private static long credentialsVersion(Document doc) {
        return doc.getLong(CREDENTIALS_VERSION, 0L);
    }

    /** Deletes the rows; the callers have raised the credentials version first, which refuses any row inserted late. */
    private void endSessions(String userId) {
        db.deleteMany(SESSIONS, eq("user_id", userId));
    }

    private Document userDocument(String id) {
        return IdUtils.ensureId(id).flatMap(valid -> db.findOne(USERS, eq("_id", valid)))
                .orElseThrow(() -> new ServiceException.NotFound("User not found"));
    }

    private static void refuseOwnAccount(User actor, String userId, String message) {
        if (actor.id().equals(userId)) {
            throw new ServiceException.InvalidInput(message);
        }
    }

    /**
     * The account, if the actor holds every permission it has (403 if not): a user-manager may manage users
     * but not take over an admin by resetting their password, nor lock them out.
     */
    private Document managedUser(User actor, String userId) {
        Document user = userDocument(userId);
        requireManages(actor, user);
        return user;
    }

    /**
     * Applies a change to an account only if its roles are still those {@link #requireManages} checked: an admin
     * promoting it meanwhile must not let a user-manager's change through (409 then; trying again re-checks).
     */
    private void changeManaged(Document user, dev.orbit.db.Update update) {
        if (db.updateOne(USERS, asChecked(user), update).matchedCount() == 0) {
            throw changedMeanwhile();
        }
    }

    private static dev.orbit.db.Filter asChecked(Document user) {
        return and(eq("_id", user.id()), eq("role", user.get("role")), eq("roles", user.get("roles")));
    }

    private static ServiceException changedMeanwhile() {
        return new ServiceException.Conflict("The user was changed or deleted meanwhile; try again");
    }

    private static void requireManages(User actor, Document user) {
        if (!Roles.covers(actor.roles(), toUser(user).roles())) {
            throw new ServiceException.Forbidden("You cannot manage a user who holds permissions you do not have");
        }
    }

    /** Refuses (403) roles that grant more than the actor holds: no one can make a user, or themself, an admin. */
    private static void requireMayGrant(User actor, List<String> roles) {
        if (!Roles.covers(actor.roles(), roles)) {
            throw new ServiceException.Forbidden("You cannot grant roles with permissions you do not have");
        }
    }

    private Document newUser(String username, String passwordHash, List<String> roles) {
        return Document.of("username", username, "username_key", AccountRules.usernameKey(username), "password", passwordHash, "role", roles.getFirst(), "roles", roles,
                "active", true, "created_at", clock.instant());
    }

    static User toUser(Document doc) {
        List<String> roles = doc.getStringList("roles");
        String role = doc.getString("role");
        if (roles.isEmpty() && role != null) {
            roles = List.of(role); // the reference's older accounts hold only "role"
        }
        return new User(doc.id(), doc.getString("username"), role, roles, doc.getBoolean("active", true),
                doc.getInstant("created_at"), doc.getInstant("last_login"), doc.getString("email"),
                doc.getString("provider"));
    }
}
