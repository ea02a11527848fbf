package dev.orbit.service;

/** Limits and offsets of listings, clamped rather than refused (as the reference does). */
record Paging(int limit, int offset) {
    static Paging clamp(int limit, int offset, int maxLimit) {
        return new Paging(Math.max(1, Math.min(limit, maxLimit)), Math.max(0, offset));
    }
}
