package dev.orbit.service;

/** Who a chat request says it is acting for ({@code X-User-ID}, a user's e-mail); both may be null. */
public record CallerIdentity(String userId, String email) {
    public static final CallerIdentity NONE = new CallerIdentity(null, null);
}
