package dev.orbit.db;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Ids across backends. Ids are strings at every API: UUIDs from SQL backends, 24-hex ObjectIds from
 * MongoDB, and an id that came from one backend keeps working on the other.
 */
public final class IdUtils {
    private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-fA-F]{24}");
    /** Longer than any id we generate or accept from the reference, short enough to stay harmless. */
    private static final int MAX_ID_LENGTH = 128;

    private IdUtils() {
    }

    /** A new id in SQL backends' form (random UUID, as the reference's SQLite backend writes). */
    public static String newUuid() {
        return UUID.randomUUID().toString();
    }

    /** Whether the string has the shape of a MongoDB ObjectId. */
    public static boolean isObjectIdHex(String id) {
        return id != null && OBJECT_ID.matcher(id).matches();
    }

    /**
     * The id if it could be one (non-blank, at most 128 chars, no control characters), else empty: a
     * caller treats a malformed id as "not found", never as an error.
     */
    public static Optional<String> ensureId(String candidate) {
        if (candidate == null || candidate.isBlank() || candidate.length() > MAX_ID_LENGTH) {
            return Optional.empty();
        }
        boolean clean = candidate.chars().noneMatch(Character::isISOControl);
        return clean ? Optional.of(candidate) : Optional.empty();
    }
}
