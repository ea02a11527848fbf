package dev.orbit.service;

import dev.orbit.db.CaseFolding;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** The rules for usernames, passwords and role lists ({@code orbit-api.md}), refused with 400. */
final class AccountRules {
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{3,50}");

    private AccountRules() {
    }

    static String username(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new ServiceException.InvalidInput(
                    "Username must be 3-50 characters of letters, digits, '.', '_' or '-'");
        }
        return username;
    }

    /**
     * The form in which usernames are compared: case-folded, so that names differing only in case are one name
     * (unique in the database for new accounts) and count as one for the login throttle.
     */
    static String usernameKey(String username) {
        return CaseFolding.fold(username);
    }

    static String password(String password) {
        if (password == null || Characters.count(password) < 8 || Characters.count(password) > 128
                || Characters.hasSpace(password)) {
            throw new ServiceException.InvalidInput("Password must be 8-128 characters without whitespace");
        }
        return password;
    }

    /** Known role names, de-duplicated in order; at least one. */
    static List<String> roles(List<String> roles) {
        if (roles == null || roles.isEmpty()) {
            throw new ServiceException.InvalidInput("At least one role is required");
        }
        List<String> out = new ArrayList<>(new LinkedHashSet<>(roles));
        for (String role : out) {
            if (!Roles.exists(role)) {
                throw new ServiceException.InvalidInput("Invalid role '" + role + "'; valid roles: " + Roles.all());
            }
        }
        return List.copyOf(out);
    }
}
