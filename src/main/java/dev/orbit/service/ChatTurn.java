package dev.orbit.service;

/** The user and assistant messages of one exchange; {@code replayed} when they were stored by an earlier call. */
public record ChatTurn(ChatMessage user, ChatMessage assistant, boolean replayed) {
}
