package dev.orbit.service;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Slow salted password hashes in a self-describing form, {@code pbkdf2-sha256$<rounds>$<salt>$<hash>} (base64
 * without padding), plus the reference's legacy form {@code base64(salt16 ‖ key32)} whose rounds come from the
 * settings. PBKDF2 is CPU-bound, so every hash runs on a small pool of platform threads (one per core by
 * default) with a bounded queue: logins cannot starve request threads, and a flood is refused with 429.
 */
final class PasswordHasher implements AutoCloseable {
    static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int KEY_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    /** The outcome of a check: whether it matched, and whether the stored hash should be replaced. */
    record Verification(boolean matches, boolean needsRehash) {
        static final Verification NO_MATCH = new Verification(false, false);
    }

    private final PasswordSettings settings;
    private final ThreadPoolExecutor pool;

    PasswordHasher(PasswordSettings settings) {
        this.settings = settings;
        this.pool = new ThreadPoolExecutor(settings.threads(), settings.threads(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.queueCapacity()),
                Thread.ofPlatform().daemon().name("orbit-password-hash-", 1).factory(),
                new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
    }

    /** A new hash of the password, in the self-describing form. */
    String hash(String password) {
        byte[] salt = Secrets.randomBytes(SALT_BYTES);
        int rounds = settings.iterations();
        byte[] key = offload(() -> pbkdf2(password, salt, rounds, KEY_BYTES));
        return SCHEME + "$" + rounds + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(key);
    }

    /**
     * Whether the password matches the stored hash (either form), compared in constant time. A stored value
     * of neither form matches nothing. {@code needsRehash} is set for a legacy hash or one with fewer rounds
     * than configured now.
     */
    Verification verify(String password, String stored) {
        Parsed parsed = parse(stored);
        if (parsed == null) {
            return Verification.NO_MATCH;
        }
        byte[] actual = offload(() -> pbkdf2(password, parsed.salt, parsed.rounds, parsed.key.length));
        boolean matches = MessageDigest.isEqual(actual, parsed.key);
        return new Verification(matches, matches && (parsed.legacy || parsed.rounds < settings.iterations()));
    }

    /**
     * Spends as long as checking a password against a current hash would, and matches nothing: used for
     * unknown usernames so that timing does not tell which names exist.
     */
    void verifyNothing(String password) {
        byte[] salt = new byte[SALT_BYTES];
        int rounds = settings.iterations();
        offload(() -> pbkdf2(password, salt, rounds, KEY_BYTES));
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    private record Parsed(int rounds, byte[] salt, byte[] key, boolean legacy) {
    }

    private Parsed parse(String stored) {
        if (stored == null) {
            return null;
        }
        try {
            if (stored.startsWith(SCHEME + "$")) {
                String[] parts = stored.split("\\$", -1);
                if (parts.length != 4) {
                    return null;
                }
                int rounds = Integer.parseInt(parts[1]);
                byte[] salt = Base64.getDecoder().decode(parts[2]);
                byte[] key = Base64.getDecoder().decode(parts[3]);
                if (rounds < 1 || salt.length == 0 || key.length == 0 || key.length > 64) {
                    return null;
                }
                return new Parsed(rounds, salt, key, false);
            }
            // The reference's form: base64(16 bytes of salt followed by 32 bytes of key).
            byte[] raw = Base64.getDecoder().decode(stored);
            if (raw.length != SALT_BYTES + KEY_BYTES) {
                return null;
            }
            byte[] salt = java.util.Arrays.copyOfRange(raw, 0, SALT_BYTES);
            byte[] key = java.util.Arrays.copyOfRange(raw, SALT_BYTES, raw.length);
            return new Parsed(settings.legacyIterations(), salt, key, true);
        } catch (IllegalArgumentException e) { // bad base64 or number: not a hash we know
            return null;
        }
    }

    private <T> T offload(Callable<T> work) {
        Future<T> future;
        try {
            future = pool.submit(work);
        } catch (RejectedExecutionException e) {
            throw new ServiceException.TooManyRequests("Too many logins in progress; try again shortly",
                    Duration.ofSeconds(1));
        }
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new IllegalStateException("interrupted while hashing a password", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("password hashing failed", e.getCause());
        }
    }

    /** PBKDF2-HMAC-SHA256 of the password's UTF-8 bytes, as Python's {@code hashlib.pbkdf2_hmac} computes it. */
    static byte[] pbkdf2(String password, byte[] salt, int rounds, int keyBytes) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, rounds, keyBytes * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 failed", e);
        } finally {
            spec.clearPassword();
        }
    }
}
