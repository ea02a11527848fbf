package dev.orbit.service;

import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.OrbitSchema.SYSTEM_STATE;
import static dev.orbit.db.Updates.combine;
import static dev.orbit.db.Updates.set;

import dev.orbit.db.DatabaseException;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.UpdateOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the gateway is paused: one document of {@code system_state}, {@code {_id: "server_paused", value}} as
 * the reference keeps it, so every gateway on the database pauses together and a restart stays paused.
 *
 * <p>Chat asks on every turn, so the answer is read from the database at most once per {@link #MAX_AGE} per
 * process: another gateway's pause or resume is seen here within that bound (a change made here at once). One
 * caller refreshes a stale answer while the others keep using it, so a burst of turns makes one read, not one
 * each. A flag that cannot be read counts as paused (the reference fails closed too), and that answer is kept
 * for {@link #MAX_AGE} as well, so a database outage costs one logged read per second, not one per request.
 */
public final class ServerPause {
    private static final Logger LOG = LoggerFactory.getLogger(ServerPause.class);
    /** The document's id, the reference's. */
    static final String ID = "server_paused";
    /** How old an answer may be: the bound on how late this gateway sees another one's pause or resume. */
    public static final Duration MAX_AGE = Duration.ofSeconds(1);

    /** An answer and when it was read ({@link System#nanoTime}: a test's frozen clock must not freeze it). */
    private record Reading(boolean paused, long readAt) {
    }

    private final DatabaseService db;
    private final Clock clock;
    private final ReentrantLock refreshing = new ReentrantLock();
    private volatile Reading last;

    public ServerPause(DatabaseService db, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether chat is paused, as read at most {@link #MAX_AGE} ago; true when the flag cannot be read. */
    public boolean isPaused() {
        Reading reading = last;
        if (reading != null && System.nanoTime() - reading.readAt() < MAX_AGE.toNanos()) {
            return reading.paused();
        }
        if (reading != null && !refreshing.tryLock()) {
            return reading.paused(); // another caller is reading it now
        }
        if (reading == null) {
            refreshing.lock();
        }
        try {
            Reading fresh = last;
            if (fresh != reading && fresh != null) {
                return fresh.paused(); // refreshed while this caller waited
            }
            boolean paused = read();
            last = new Reading(paused, System.nanoTime());
            return paused;
        } finally {
            refreshing.unlock();
        }
    }

    /** Pauses chat on every gateway of the database; {@code by} names who did (stored with the flag). */
    public void pause(String by) {
        write(true, by);
    }

    /** Resumes chat on every gateway of the database. */
    public void resume(String by) {
        write(false, by);
    }

    private boolean read() {
        try {
            return db.findOne(SYSTEM_STATE, eq("_id", ID)).map(flag -> flag.getBoolean("value", false)).orElse(false);
        } catch (DatabaseException e) {
            LOG.warn("cannot read the pause flag, so chat counts as paused: {}", e.getMessage());
            return true;
        }
    }

    // An upsert on the id: the first pause creates the document, on every backend, and two gateways writing at
    // once leave one document. A failed write propagates: the caller must not report a pause that did not happen.
    private void write(boolean paused, String by) {
        db.updateOne(SYSTEM_STATE, eq("_id", ID), combine(set("value", paused), set("updated_at", clock.instant()),
                set("updated_by", by)), UpdateOptions.UPSERT);
        last = new Reading(paused, System.nanoTime());
        LOG.info("chat {} by {}", paused ? "paused" : "resumed", by);
    }
}
