package dev.orbit.http;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which audit event a state-changing {@code /auth/*} or {@code /admin/*} request is: its {@code event_type},
 * {@code action}, resource type and the path segment naming the resource. Unmapped routes are
 * {@code admin.unknown} / {@code auth.unknown}, so a new route is audited before anyone names it here.
 */
final class AdminAuditRoutes {
    /** A mapped route; {@code idGroup} is the regex group holding the resource id (0: none). */
    record Mapping(String eventType, String action, String resourceType, String resourceId, boolean keyInPath) {
    }

    private record Route(String method, Pattern path, String eventType, String action, String resourceType,
                         boolean keyInPath) {
    }

    private static final String ID = "([^/]+)";
    private static final Pattern REPEATED_SLASHES = Pattern.compile("/{2,}");
    private static final List<Route> ROUTES = List.of(
            route("POST", "/auth/login", "auth.login", "LOGIN", "session"),
            route("POST", "/auth/logout", "auth.logout", "LOGOUT", "session"),
            route("POST", "/admin/login", "auth.login", "LOGIN", "session"), // the admin console's sign-in form
            route("POST", "/admin/logout", "auth.logout", "LOGOUT", "session"),
            route("POST", "/auth/register", "auth.user.create", "CREATE", "user"),
            route("POST", "/auth/change-password", "auth.user.change_password", "UPDATE", "user"),
            route("POST", "/auth/reset-password", "auth.user.reset_password", "UPDATE", "user"),
            route("POST", "/auth/users/" + ID + "/deactivate", "auth.user.deactivate", "UPDATE", "user"),
            route("POST", "/auth/users/" + ID + "/activate", "auth.user.activate", "UPDATE", "user"),
            route("PUT", "/auth/users/" + ID + "/roles", "auth.user.set_roles", "UPDATE", "user"),
            route("DELETE", "/auth/users/" + ID, "auth.user.delete", "DELETE", "user"),
            route("POST", "/auth/blacklist", "auth.blacklist.create", "CREATE", "blacklist_rule"),
            route("PUT", "/auth/blacklist/" + ID, "auth.blacklist.update", "UPDATE", "blacklist_rule"),
            route("DELETE", "/auth/blacklist/" + ID, "auth.blacklist.delete", "DELETE", "blacklist_rule"),
            route("POST", "/admin/api-keys", "admin.api_key.create", "CREATE", "api_key"),
            keyRoute("PATCH", "/admin/api-keys/" + ID + "/rename", "admin.api_key.rename", "UPDATE"),
            keyRoute("POST", "/admin/api-keys/" + ID + "/deactivate", "admin.api_key.deactivate", "UPDATE"),
            keyRoute("POST", "/admin/api-keys/" + ID + "/prompt", "admin.api_key.associate_prompt", "UPDATE"),
            keyRoute("PUT", "/admin/api-keys/" + ID + "/quota", "admin.api_key.quota_update", "UPDATE"),
            keyRoute("POST", "/admin/api-keys/" + ID + "/quota/reset", "admin.api_key.quota_reset", "UPDATE"),
            keyRoute("PUT", "/admin/api-keys/" + ID, "admin.api_key.update", "UPDATE"),
            keyRoute("DELETE", "/admin/api-keys/" + ID, "admin.api_key.delete", "DELETE"),
            route("POST", "/admin/prompts", "admin.prompt.create", "CREATE", "prompt"),
            route("PUT", "/admin/prompts/" + ID, "admin.prompt.update", "UPDATE", "prompt"),
            route("DELETE", "/admin/prompts/" + ID, "admin.prompt.delete", "DELETE", "prompt"),
            route("DELETE", "/admin/chat-history/" + ID, "admin.chat_history.delete", "DELETE", "chat_session"),
            route("DELETE", "/admin/conversations/" + ID, "admin.conversation.delete", "DELETE", "chat_session"),
            route("DELETE", "/admin/sessions/" + ID, "admin.conversation.delete", "DELETE", "chat_session"),
            route("POST", "/admin/reload-adapters", "admin.adapter.reload", "CONTROL", "adapter"),
            route("POST", "/admin/shutdown", "admin.system.shutdown", "CONTROL", "system"),
            route("POST", "/admin/pause", "admin.system.pause", "CONTROL", "system"),
            route("POST", "/admin/resume", "admin.system.resume", "CONTROL", "system"));

    private AdminAuditRoutes() {
    }

    private static Route route(String method, String path, String eventType, String action, String resourceType) {
        return new Route(method, Pattern.compile(path), eventType, action, resourceType, false);
    }

    private static Route keyRoute(String method, String path, String eventType, String action) {
        return new Route(method, Pattern.compile(path), eventType, action, "api_key", true);
    }

    /** Whether the request is one the admin audit records: a write under {@code /auth/} or {@code /admin/}. */
    static boolean audited(String method, String path) {
        if (!(method.equals("POST") || method.equals("PUT") || method.equals("PATCH") || method.equals("DELETE"))) {
            return false;
        }
        // Asked of every chat call too: no lower-cased copy of the path.
        String p = normalized(path);
        return startsWithIgnoreCase(p, "/auth/") || startsWithIgnoreCase(p, "/admin/") || p.equalsIgnoreCase("/admin")
                || p.equalsIgnoreCase("/auth");
    }

    private static boolean startsWithIgnoreCase(String text, String prefix) {
        return text.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    /**
     * The mapping of a request; the resource id is the raw path segment (the caller masks API keys). A login that
     * did not succeed (4xx, 5xx: the console's sign-in answers a success with a 303) is {@code auth.login_failed}.
     */
    static Mapping map(String method, String path, int status) {
        String p = normalized(path);
        for (Route route : ROUTES) {
            Matcher m = route.path().matcher(p);
            if (route.method().equals(method) && m.matches()) {
                String eventType = route.eventType().equals("auth.login") && status >= 400 ? "auth.login_failed"
                        : route.eventType();
                return new Mapping(eventType, route.action(), route.resourceType(),
                        m.groupCount() > 0 ? m.group(1) : null, route.keyInPath());
            }
        }
        String area = p.toLowerCase(Locale.ROOT).startsWith("/auth") ? "auth" : "admin";
        String action = switch (method) {
            case "DELETE" -> "DELETE";
            case "POST" -> "CREATE";
            default -> "UPDATE";
        };
        return new Mapping(area + ".unknown", action, "unknown", null, false);
    }

    // One slash between segments and none at the end, as the router sees the path.
    private static String normalized(String path) {
        String collapsed = path.contains("//") ? REPEATED_SLASHES.matcher(path).replaceAll("/") : path;
        return collapsed.length() > 1 && collapsed.endsWith("/") ? collapsed.substring(0, collapsed.length() - 1)
                : collapsed;
    }
}
