package dev.orbit.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The newest messages of the sessions this process served lately ("windows"), so that a chat turn need not read its
 * session's context row by row again. A window only says what to check. {@link ChatHistoryService} uses one only
 * for a caller whose access was just checked against the same owner record the window was read under (a clear or
 * retention deletes the record, and a new owner, key or user, gets a new one), and only after the database confirms
 * that the session's newest message is the window's (by id: ids are never reused) and that the session holds as many
 * messages as the window from the window's oldest place on (all of them, for a window that held the whole session).
 * Messages are never edited, and a turn this process stores extends the window only when it went after the
 * window's own newest message; so the check sees any message another process added or removed since, and a window
 * never outlives its owner.
 *
 * <p>What could still pass the check is a message read from a MongoDB without transactions just before it was undone
 * (a turn whose second message lost its place). A window is therefore read again from the database once it is
 * {@link #MAX_AGE} old, which bounds how long such a context can be served. Bounded by sessions and bytes; the
 * least recently used window goes first.
 */
final class ContextWindows {
    /** How long a window is used, extended by the turns this process stores, before it is read again. */
    static final Duration MAX_AGE = Duration.ofSeconds(30);
    private static final int MAX_SESSIONS = 10_000;
    private static final long MAX_BYTES = 64L * 1024 * 1024;
    // A message's node, the message and its content string's headers, roughly; the content counts two bytes a char.
    private static final long MESSAGE_BYTES = 104;
    // How far a window grows past the count it keeps before it is cut back to it: a cut copies the window.
    private static final int SLACK = 16;

    /** One message of a window: its place in the session and what the model's context needs of it. */
    record Entry(long sequence, ContextMessage message) {
    }

    /** About what a message held in a window takes on the heap, for the bound. */
    private static long heapBytes(ContextMessage message) {
        return MESSAGE_BYTES + 2L * message.content().length();
    }

    /**
     * A window's messages, newest first, as a list that later windows of the session share: a stored turn adds two
     * nodes in front instead of copying the window (a copy per turn, kept until the session's next turn, made the
     * collector copy far more).
     */
    private record Node(long sequence, ContextMessage message, Node next) {
    }

    /**
     * A session's newest {@code size} messages (at least one), the newest one's id and time; {@code whole}: they are
     * all of the session's messages; {@code read}: when they were last read from the database; {@code ownerId}: the id
     * of the session's owner record they were read under (a clear deletes the record, a new owner gets a new one).
     */
    static final class Window {
        private final Node newest;
        private final int size;
        private final long oldestSequence;
        private final String newestId;
        private final Instant newestTime;
        private final boolean whole;
        private final Instant read;
        private final String ownerId;
        private final long bytes;

        private Window(Node newest, int size, long oldestSequence, String newestId, Instant newestTime, boolean whole,
                       Instant read, String ownerId, long bytes) {
            this.newest = newest;
            this.size = size;
            this.oldestSequence = oldestSequence;
            this.newestId = newestId;
            this.newestTime = newestTime;
            this.whole = whole;
            this.read = read;
            this.ownerId = ownerId;
            this.bytes = bytes;
        }

        static Window of(List<Entry> newestFirst, String newestId, Instant newestTime, boolean whole, Instant read,
                         String ownerId) {
            if (newestFirst.isEmpty()) {
                throw new IllegalArgumentException("a window holds at least one message");
            }
            Node node = null;
            long bytes = 0;
            for (int i = newestFirst.size() - 1; i >= 0; i--) {
                Entry e = newestFirst.get(i);
                node = new Node(e.sequence(), e.message(), node);
                bytes += heapBytes(e.message());
            }
            return new Window(node, newestFirst.size(), newestFirst.getLast().sequence(), newestId, newestTime, whole,
                    read, ownerId, bytes);
        }

        List<Entry> newestFirst() {
            return entries(newest, size);
        }

        /** The first {@code count} messages of the list starting at {@code from}. */
        private static List<Entry> entries(Node from, int count) {
            return first(from, count, n -> new Entry(n.sequence(), n.message()));
        }

        List<ContextMessage> messages() {
            return first(newest, size, Node::message);
        }

        /** What {@code each} makes of the first {@code count} nodes of the list starting at {@code from}. */
        private static <T> List<T> first(Node from, int count, Function<Node, T> each) {
            List<T> out = new ArrayList<>(count);
            for (Node n = from; out.size() < count; n = n.next()) {
                out.add(each.apply(n));
            }
            return out;
        }

        int size() {
            return size;
        }

        String newestId() {
            return newestId;
        }

        boolean whole() {
            return whole;
        }

        Instant read() {
            return read;
        }

        String ownerId() {
            return ownerId;
        }

        long bytes() {
            return bytes;
        }

        long newestSequence() {
            return newest.sequence();
        }

        long oldestSequence() {
            return oldestSequence;
        }

        TurnHistory.SessionEnd end() {
            return new TurnHistory.SessionEnd(newestSequence(), newestTime, newestId);
        }

        /**
         * This window with {@code stored} (oldest first) placed right after its newest message. It keeps at least
         * {@code keep} messages (or all it holds, if fewer); a few past that, it is cut back to {@code keep}. With a
         * per-session cap ({@code cap} > 0; the oldest messages beyond it are deleted), it never holds more than
         * that.
         */
        Window after(List<Entry> stored, String storedNewestId, Instant storedNewestTime, int keep, int cap) {
            Node node = newest;
            long grown = bytes;
            for (Entry e : stored) {
                node = new Node(e.sequence(), e.message(), node);
                grown += heapBytes(e.message());
            }
            int total = size + stored.size();
            int most = Math.max(keep + SLACK, size);
            int kept = keep;
            if (cap > 0) {
                most = Math.min(most, cap);
                kept = Math.min(kept, cap);
            }
            if (total <= most) {
                return new Window(node, total, oldestSequence, storedNewestId, storedNewestTime, whole, read, ownerId,
                        grown);
            }
            return of(entries(node, kept), storedNewestId, storedNewestTime, false, read, ownerId);
        }
    }

    private final Clock clock;
    private final Map<String, Window> windows = new LinkedHashMap<>(256, 0.75f, true);
    private long bytes;

    ContextWindows(Clock clock) {
        this.clock = clock;
    }

    /** The session's window, unless it has none or it is too old to use without reading it again. */
    synchronized Window get(String sessionId) {
        Window window = windows.get(sessionId);
        if (window != null && !window.read().plus(MAX_AGE).isAfter(clock.instant())) {
            remove(sessionId);
            return null;
        }
        return window;
    }

    synchronized void put(String sessionId, Window window) {
        remove(sessionId);
        if (window.bytes() > MAX_BYTES / 4) {
            return; // one huge session would push out every other
        }
        windows.put(sessionId, window);
        bytes += window.bytes();
        var eldest = windows.entrySet().iterator();
        while (windows.size() > MAX_SESSIONS || bytes > MAX_BYTES) {
            bytes -= eldest.next().getValue().bytes();
            eldest.remove();
        }
    }

    /** Replaces the session's window only if it is still {@code expected} (another turn may have changed it). */
    synchronized void replace(String sessionId, Window expected, Window next) {
        if (windows.get(sessionId) == expected) {
            put(sessionId, next);
        }
    }

    synchronized void remove(String sessionId) {
        Window removed = windows.remove(sessionId);
        if (removed != null) {
            bytes -= removed.bytes();
        }
    }

    synchronized int size() {
        return windows.size();
    }
}
