package dev.orbit.inference;

import java.util.Objects;

/**
 * The end of one call: the whole reply text and its token usage.
 *
 * @param cancelled true when a stream was stopped by its sink before the provider finished; {@code text}
 *                  then holds only what had arrived, and it is not a reply to store
 */
public record Completion(String text, Usage usage, boolean cancelled) {
    public Completion {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(usage, "usage");
    }

    /** A finished reply. */
    public static Completion complete(String text, Usage usage) {
        return new Completion(text, usage, false);
    }

    /** A stream stopped by its sink after {@code text}. */
    public static Completion cancelled(String text, Usage usage) {
        return new Completion(text, usage, true);
    }
}
