package dev.orbit.service;

/**
 * A vote on an assistant message as stored, or after a change ({@code feedbackType} and {@code comment} null when
 * the vote was removed).
 *
 * @param action "created", "updated" or "removed"
 */
public record Feedback(String messageId, String feedbackType, String comment, String action) {
}
