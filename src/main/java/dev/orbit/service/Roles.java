package dev.orbit.service;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The roles of ORBIT and the permissions each grants ({@code orbit-api.md}); a user's permissions are the union. */
public final class Roles {
    public static final String ADMIN = "admin";
    public static final String USER = "user";
    /** Grants every permission. */
    public static final String ALL = "*";

    private static final Map<String, List<String>> PERMISSIONS = permissions();

    private Roles() {
    }

    private static Map<String, List<String>> permissions() {
        Map<String, List<String>> map = new LinkedHashMap<>();
        map.put(ADMIN, List.of(ALL));
        map.put("operator", List.of("config.manage", "adapters.manage", "apikeys.manage", "prompts.manage",
                "system.manage", "metrics.read", "logs.read"));
        map.put("auditor", List.of("logs.read", "audit.read", "metrics.read"));
        map.put("analyst", List.of("conversations.read", "feedback.read"));
        map.put("user-manager", List.of("users.manage"));
        map.put(USER, List.of());
        return java.util.Collections.unmodifiableMap(map);
    }

    /** Every role name, in a stable order. */
    public static List<String> all() {
        return List.copyOf(PERMISSIONS.keySet());
    }

    public static boolean exists(String role) {
        return role != null && PERMISSIONS.containsKey(role);
    }

    /** The union of the roles' permissions, in a stable order; unknown roles grant nothing. */
    public static List<String> permissionsOf(Collection<String> roles) {
        Set<String> out = new LinkedHashSet<>();
        for (String role : roles) {
            out.addAll(PERMISSIONS.getOrDefault(role, List.of()));
        }
        return List.copyOf(out);
    }

    /**
     * Whether {@code held} grants every permission that {@code other} grants: what a user must hold to give
     * those roles to someone, or to manage an account that has them (so no one can raise their own power).
     */
    public static boolean covers(Collection<String> held, Collection<String> other) {
        List<String> permissions = permissionsOf(held);
        return permissions.contains(ALL) || permissions.containsAll(permissionsOf(other));
    }

    /** Whether the roles grant the permission ({@code *} grants all). */
    public static boolean grants(Collection<String> roles, String permission) {
        List<String> permissions = permissionsOf(roles);
        return permissions.contains(ALL) || permissions.contains(permission);
    }
}
