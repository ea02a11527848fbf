package dev.orbit.service;

import dev.orbit.json.EncodedString;

/**
 * A past message as the model's context needs it: who said what, and what it counts against the token budget. The
 * text keeps its JSON form once a provider's request has written it, and a session's recent messages are kept
 * between turns ({@link ContextWindows}), so each is escaped once, not on every turn that sends it again.
 */
public record ContextMessage(String role, EncodedString text, long tokenCount) {
    public ContextMessage(String role, String content, long tokenCount) {
        this(role, new EncodedString(content), tokenCount);
    }

    public String content() {
        return text.value();
    }
}
