package dev.orbit.admin;

/** Hears how a copy goes, batch by batch (the command line prints it on stderr). */
public interface Progress {
    /** Nothing is reported. */
    Progress NONE = new Progress() {
    };

    /**
     * A batch of {@code collection} was handled: {@code done} of {@code total} documents read from the source so
     * far, {@code alreadyThere} of them skipped because the target held their ids (only with {@code --resume}).
     */
    default void batch(String collection, long done, long total, long alreadyThere) {
    }

    /** The collection is copied completely. */
    default void finished(String collection, long done, long total, long alreadyThere) {
    }
}
