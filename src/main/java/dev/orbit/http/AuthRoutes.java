package dev.orbit.http;

import static dev.orbit.http.Json.iso;
import static dev.orbit.http.Json.object;

import dev.orbit.service.AuthService;
import dev.orbit.service.LoginResult;
import dev.orbit.service.ServiceException;
import dev.orbit.service.User;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/** {@code /auth/*}: login and logout, one's own account, and user management ({@code users.manage}). */
final class AuthRoutes {
    private static final String USERS_MANAGE = "users.manage";

    private final AuthService auth;
    private final Access access;
    private final JsonBodies bodies;

    AuthRoutes(AuthService auth, Access access, JsonBodies bodies) {
        this.auth = auth;
        this.access = access;
        this.bodies = bodies;
    }

    void register(RoutesConfig routes) {
        routes.post("/auth/login", this::login);
        routes.post("/auth/logout", this::logout);
        routes.get("/auth/me", ctx -> {
            User user = access.user(ctx);
            Map<String, Object> account = account(user);
            account.put("permissions", user.permissions()); // what the admin console shows pages by
            ctx.json(account);
        });
        routes.get("/auth/roles", ctx -> {
            access.permitted(ctx, USERS_MANAGE);
            ctx.json(object("roles", auth.roles()));
        });
        routes.get("/auth/users", this::listUsers);
        routes.get("/auth/users/by-username", this::userByUsername);
        routes.post("/auth/register", this::register);
        routes.post("/auth/change-password", this::changePassword);
        routes.post("/auth/reset-password", this::resetPassword);
        routes.post("/auth/users/{id}/deactivate", this::deactivate);
        routes.post("/auth/users/{id}/activate", this::activate);
        routes.delete("/auth/users/{id}", this::delete);
        routes.put("/auth/users/{id}/roles", this::setRoles);
    }

    private void login(Context ctx) {
        JsonBody body = bodies.read(ctx);
        LoginResult result = auth.login(body.requiredString("username"), body.requiredString("password"), ctx.ip());
        User user = result.user();
        ctx.json(object("token", result.token(), "user", object("id", user.id(), "username", user.username(),
                "email", user.email(), "role", user.role(), "roles", user.roles(), "permissions", user.permissions(),
                "active", user.active(), "provider", provider(user))));
    }

    private void logout(Context ctx) {
        String token = Access.sessionToken(ctx);
        if (token == null) {
            throw new ServiceException.Unauthorized(Access.AUTHENTICATION_REQUIRED);
        }
        auth.logout(token);
        ctx.json(object("message", "Logout successful"));
    }

    private void listUsers(Context ctx) {
        access.permitted(ctx, USERS_MANAGE);
        List<User> users = auth.listUsers(QueryParams.string(ctx, "role"), QueryParams.bool(ctx, "active_only", false),
                QueryParams.integer(ctx, "limit", 100), QueryParams.integer(ctx, "offset", 0));
        ctx.json(users.stream().map(AuthRoutes::account).toList());
    }

    private void userByUsername(Context ctx) {
        access.permitted(ctx, USERS_MANAGE);
        User user = auth.userByUsername(QueryParams.required(ctx, "username"));
        ctx.json(object("id", user.id(), "username", user.username(), "role", user.role(), "roles", user.roles(),
                "active", user.active()));
    }

    private void register(Context ctx) {
        User admin = access.permitted(ctx, USERS_MANAGE);
        JsonBody body = bodies.read(ctx);
        User user = auth.register(admin, body.requiredString("username"), body.requiredString("password"),
                body.optionalString("role"), body.optionalStringList("roles"));
        ctx.json(object("id", user.id(), "username", user.username(), "role", user.role(), "roles", user.roles()));
    }

    private void changePassword(Context ctx) {
        User user = access.user(ctx);
        JsonBody body = bodies.read(ctx);
        auth.changePassword(user.id(), body.requiredString("current_password"), body.requiredString("new_password"));
        ctx.json(object("message", "Password changed successfully; please log in again"));
    }

    private void resetPassword(Context ctx) {
        User admin = access.permitted(ctx, USERS_MANAGE);
        JsonBody body = bodies.read(ctx);
        String userId = body.requiredString("user_id");
        auth.resetPassword(admin, userId, body.requiredString("new_password"));
        ctx.json(object("message", "Password reset successfully", "user_id", userId));
    }

    private void deactivate(Context ctx) {
        User admin = access.permitted(ctx, USERS_MANAGE);
        String userId = ctx.pathParam("id");
        auth.deactivate(admin, userId);
        ctx.json(object("message", "User deactivated successfully", "user_id", userId));
    }

    private void activate(Context ctx) {
        User admin = access.permitted(ctx, USERS_MANAGE);
        String userId = ctx.pathParam("id");
        auth.activate(admin, userId);
        ctx.json(object("message", "User activated successfully", "user_id", userId));
    }

    private void delete(Context ctx) {
        User admin = access.permitted(ctx, USERS_MANAGE);
        String userId = ctx.pathParam("id");
        auth.delete(admin, userId);
        ctx.json(object("message", "User deleted successfully", "user_id", userId));
    }

    private void setRoles(Context ctx) {
        User admin = access.permitted(ctx, USERS_MANAGE);
        JsonBody body = bodies.read(ctx);
        User user = auth.setRoles(admin, ctx.pathParam("id"), body.requiredStringList("roles"));
        ctx.json(object("message", "Roles updated successfully", "user_id", user.id(), "roles", user.roles()));
    }

    /** A user as {@code /auth/me} and the user listing show it. */
    static Map<String, Object> account(User user) {
        return object("id", user.id(), "username", user.username(), "role", user.role(), "roles", user.roles(),
                "active", user.active(), "created_at", iso(user.createdAt()), "last_login", iso(user.lastLogin()),
                "provider", provider(user), "email", user.email());
    }

    // Accounts made here are local ones; the reference marks them so when it records no provider.
    private static String provider(User user) {
        return user.provider() == null ? "local" : user.provider();
    }
}
