package dev.orbit.db;

/**
 * The open/closed state every {@link DatabaseService} has: {@link DatabaseService#initialize()} opens once,
 * {@link DatabaseService#close()} is final and may be repeated, and every operation checks both. The checks
 * read two volatile flags and take no lock, as they sit on every operation's path.
 */
public final class ServiceLifecycle {
    private final Object lock = new Object();
    private final String subject;
    private volatile boolean open;
    private volatile boolean closed;

    /** @param subject the database as errors name it, e.g. "the SQLite database /data/orbit.db" */
    public ServiceLifecycle(String subject) {
        this.subject = subject;
    }

    /**
     * Runs {@code opening} unless the service is already open; refuses once closed. A failed opening leaves
     * the service unopened (the opening releases what it took), so it may be tried again.
     */
    public void open(Runnable opening) {
        synchronized (lock) {
            if (closed) {
                throw closedError();
            }
            if (open) {
                return;
            }
            opening.run();
            open = true;
        }
    }

    /** Marks the service closed and runs {@code closing} if it was ever opened; later calls do nothing. */
    public void close(Runnable closing) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (open) {
                closing.run();
            }
        }
    }

    /** Throws unless the service is open and not closed. */
    public void requireOpen() {
        if (closed) {
            throw closedError();
        }
        if (!open) {
            throw new DatabaseException(subject + " is not initialized");
        }
    }

    private DatabaseException closedError() {
        return new DatabaseException(subject + " is closed");
    }
}
