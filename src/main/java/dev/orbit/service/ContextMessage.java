package dev.orbit.service;

/** A past message as the model's context needs it: who said what, and what it counts against the token budget. */
public record ContextMessage(String role, String content, long tokenCount) {
}
