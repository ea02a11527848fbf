package dev.orbit.cli;

/**
 * Thrown when the user answers no to a confirmation: the command stops, having said {@code Cancelled.}, and
 * {@code orbit} exits 0, because declining is a choice, not an error.
 */
final class Cancelled extends RuntimeException {
    Cancelled() {
        super("Cancelled.", null, false, false);
    }
}
