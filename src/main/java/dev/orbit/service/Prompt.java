package dev.orbit.service;

import java.time.Instant;

/** A stored system prompt. */
public record Prompt(String id, String name, String prompt, String version, Instant createdAt, Instant updatedAt) {
}
