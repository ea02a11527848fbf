package dev.orbit.service;

import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.OrbitSchema.CHAT_HISTORY;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.Sort;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Message timestamps that strictly increase within a session (millisecond steps), so that sorting by
 * timestamp keeps insertion order even when the wall clock has not moved (a user and an assistant message
 * stored together, fast writers, a fixed test clock). The last timestamp of recently used sessions is kept in
 * memory; for other sessions it is read from the newest stored message.
 */
final class SessionClock {
    private static final int REMEMBERED_SESSIONS = 10_000;

    private final DatabaseService db;
    private final Clock clock;
    private final Map<String, Instant> last = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > REMEMBERED_SESSIONS;
        }
    };

    SessionClock(DatabaseService db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** {@code count} consecutive timestamps, all later than every earlier one of the session, the first ≥ now. */
    List<Instant> next(String sessionId, int count) {
        Instant seeded = null;
        boolean known;
        synchronized (last) {
            known = last.containsKey(sessionId);
        }
        if (!known) {
            seeded = db.findOne(CHAT_HISTORY, eq("session_id", sessionId), Sort.descending("timestamp"))
                    .map(d -> d.getInstant("timestamp")).orElse(null);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<Instant> out = new ArrayList<>(count);
        synchronized (last) {
            Instant previous = last.getOrDefault(sessionId, seeded);
            Instant t = previous != null && !now.isAfter(previous) ? previous.plusMillis(1) : now;
            for (int i = 0; i < count; i++) {
                out.add(t.plusMillis(i));
            }
            last.put(sessionId, out.getLast());
        }
        return out;
    }

    /** Forgets a cleared session (its next messages start from the clock again). */
    void forget(String sessionId) {
        synchronized (last) {
            last.remove(sessionId);
        }
    }
}
