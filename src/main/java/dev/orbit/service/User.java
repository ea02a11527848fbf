package dev.orbit.service;

import java.time.Instant;
import java.util.List;

/**
 * An account as callers see it (never its password hash).
 *
 * @param role  the primary role (the first of {@code roles})
 * @param roles every role held; permissions are their union
 */
public record User(String id, String username, String role, List<String> roles, boolean active, Instant createdAt,
                   Instant lastLogin, String email, String provider) {
    public User {
        roles = List.copyOf(roles);
    }

    public List<String> permissions() {
        return Roles.permissionsOf(roles);
    }

    public boolean hasPermission(String permission) {
        return Roles.grants(roles, permission);
    }
}
