package dev.orbit.service;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A stored login blacklist rule: users whose {@code entryType} value (their email, username or id) matches the
 * pattern cannot log in, be registered, or use a session.
 *
 * @param createdBy the username of whoever made the rule
 */
public record BlacklistRule(String id, BlacklistPattern pattern, EntryType entryType, String reason, String createdBy,
                            Instant createdAt) {
    public BlacklistRule {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(entryType, "entryType");
    }

    /** Which value of an account a rule's pattern is matched against; the names are the reference's. */
    public enum EntryType {
        EMAIL("email", User::email),
        USER_ID("user_id", User::id),
        USERNAME("username", User::username);

        private static final Map<String, EntryType> BY_NAME = Map.of("email", EMAIL, "user_id", USER_ID,
                "username", USERNAME);

        private final String stored;
        private final Function<User, String> value;

        EntryType(String stored, Function<User, String> value) {
            this.stored = stored;
            this.value = value;
        }

        /** The name stored and shown ({@code email}, {@code user_id}, {@code username}). */
        public String stored() {
            return stored;
        }

        /** The entry type of this name; 400 naming the choices for anything else. */
        public static EntryType of(String name) {
            EntryType type = name == null ? null : BY_NAME.get(name.strip().toLowerCase(Locale.ROOT));
            if (type == null) {
                throw new ServiceException.InvalidInput("entry_type must be one of: email, user_id, username");
            }
            return type;
        }

        /** Whether a stored rule names a type this version knows (rules a newer gateway wrote are skipped). */
        static boolean known(String name) {
            return name != null && BY_NAME.containsKey(name);
        }
    }

    /** Whether the rule refuses this account. */
    public boolean matches(User user) {
        return pattern.matches(entryType.value.apply(user));
    }
}
