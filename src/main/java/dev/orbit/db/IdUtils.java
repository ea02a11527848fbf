package dev.orbit.db;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
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

    /** The shape of the ids a backend generates. */
    public enum IdStyle {
        /** Random UUID strings, as the reference's SQLite backend writes. */
        UUID,
        /** 24-hex MongoDB ObjectIds: creation second, per-process random, counter. */
        OBJECT_ID
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long PROCESS_UNIQUE = RANDOM.nextLong() & 0xFF_FFFF_FFFFL;
    private static final AtomicInteger COUNTER = new AtomicInteger(RANDOM.nextInt());

    /** A new id in the backend's style, as a string. */
    public static String generateId(IdStyle style) {
        return switch (style) {
            case UUID -> newUuid();
            case OBJECT_ID -> newObjectIdHex();
        };
    }

    /**
     * A new id in SQL backends' form: a UUID string, as the reference's SQLite backend writes, but of version 7
     * (RFC 9562: the millisecond of creation, then 74 random bits), so that new rows go to the end of the primary
     * key's index instead of a random page of it: a SQLite commit then writes one page of that index for all its
     * rows instead of one each. The random bits come from the same generator as random UUIDs'.
     */
    public static String newUuid() {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        long millis = System.currentTimeMillis();
        long randA = ((random[0] & 0x0FL) << 8) | (random[1] & 0xFFL);
        long high = (millis << 16) | 0x7000L | randA;
        long low = 0;
        for (int i = 2; i < 10; i++) {
            low = (low << 8) | (random[i] & 0xFFL);
        }
        low = (low & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L; // the variant, RFC 9562's "10"
        return new UUID(high, low).toString();
    }

    /** A new ObjectId in hex, laid out as MongoDB's: 4 bytes of seconds, 5 random, 3 of counter. */
    public static String newObjectIdHex() {
        long seconds = System.currentTimeMillis() / 1000;
        int counter = COUNTER.getAndIncrement() & 0xFF_FFFF;
        return String.format("%08x%010x%06x", seconds & 0xFFFF_FFFFL, PROCESS_UNIQUE, counter);
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
