package dev.orbit.service;

/** A successful login: the session token (shown only here; only its hash is stored) and the user. */
public record LoginResult(String token, User user) {
    /** The token is never shown. */
    @Override
    public String toString() {
        return "LoginResult[token=<redacted>, user=" + user.username() + "]";
    }
}
