package dev.orbit.inference;

import dev.orbit.json.EncodedString;
import java.util.Objects;

/**
 * One message of the conversation sent to a provider.
 *
 * @param role {@code system}, {@code user} or {@code assistant}, passed to the provider as given
 * @param text the text, which keeps its JSON form once written: the history's messages are sent again with every
 *             turn, and the caller may hand the same text on each time (a session's cached context does)
 */
public record ChatMessage(String role, EncodedString text) {
    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(text, "text");
        if (role.isBlank()) {
            throw new IllegalArgumentException("role must not be blank");
        }
    }

    public ChatMessage(String role, String content) {
        this(role, new EncodedString(Objects.requireNonNull(content, "content")));
    }

    public String content() {
        return text.value();
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content);
    }
}
