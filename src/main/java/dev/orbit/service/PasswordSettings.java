package dev.orbit.service;

/**
 * How passwords are hashed.
 *
 * @param iterations       PBKDF2-HMAC-SHA256 rounds of new hashes (600,000 by default; lower only in tests)
 * @param legacyIterations the rounds of the reference's legacy hashes, which do not record them
 *                         ({@code auth.pbkdf2_iterations})
 * @param threads          hashing threads: at most this many hashes run at once, off the request threads
 * @param queueCapacity    hashes that may wait for a thread; beyond that a login is refused with 429
 */
public record PasswordSettings(int iterations, int legacyIterations, int threads, int queueCapacity) {
    public static final int DEFAULT_ITERATIONS = 600_000;

    public PasswordSettings {
        Checks.between("password iterations", iterations, 1, 100_000_000);
        Checks.between("legacy password iterations", legacyIterations, 1, 100_000_000);
        Checks.between("password hashing threads", threads, 1, 256);
        Checks.between("password hashing queue capacity", queueCapacity, 1, 100_000);
    }

    /** 600,000 rounds for new hashes, the given rounds for legacy ones, one thread per core. */
    public static PasswordSettings defaults(int legacyIterations) {
        int cores = Runtime.getRuntime().availableProcessors();
        return new PasswordSettings(Math.max(DEFAULT_ITERATIONS, legacyIterations), legacyIterations, cores, 64 * cores);
    }
}
