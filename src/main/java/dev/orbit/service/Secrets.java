package dev.orbit.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Random secrets and their fingerprints: one CSPRNG, SHA-256 in lower-case hex, constant-time comparison. */
final class Secrets {
    /** Marks a stored value as a SHA-256 fingerprint, so it can never be mistaken for a legacy plaintext secret. */
    static final String HASH_PREFIX = "sha256:";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    // Every chat request hashes its API key: a copy of one digest costs far less than looking the algorithm up.
    private static final MessageDigest SHA_256 = newSha256();

    private Secrets() {
    }

    static SecureRandom random() {
        return RANDOM;
    }

    /** {@code bytes} random bytes as lower-case hex ({@code 2 * bytes} characters). */
    static String randomHex(int bytes) {
        return HexFormat.of().formatHex(randomBytes(bytes));
    }

    static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** {@code length} characters of {@code [A-Za-z0-9]}, each uniformly chosen. */
    static String randomAlphanumeric(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return out.toString();
    }

    /** SHA-256 of the UTF-8 bytes, as 64 lower-case hex characters. */
    static String sha256Hex(String value) {
        return HexFormat.of().formatHex(sha256().digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** The stored form of a hashed secret: {@code sha256:<hex>}. */
    static String storedHash(String secret) {
        return HASH_PREFIX + sha256Hex(secret);
    }

    static boolean isStoredHash(String stored) {
        return stored != null && stored.startsWith(HASH_PREFIX);
    }

    /** Equality that takes the same time wherever the strings differ. */
    static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256(); // a provider whose digest cannot be copied
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
