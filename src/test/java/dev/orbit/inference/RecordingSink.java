package dev.orbit.inference;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A sink that records how each piece came ("at once x", "held x") and each "flush", and counts {@link #flushed()}
 * down at the first flush after the piece {@code flushedAfter} was held (a flush before it, while the reply's first
 * bytes were awaited, does not count).
 */
public final class RecordingSink implements StreamSink {
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final CountDownLatch flushed = new CountDownLatch(1);
    private final String flushedAfter;

    public RecordingSink(String flushedAfter) {
        this.flushedAfter = "held " + flushedAfter;
    }

    /** What the sink was given, in order. */
    public List<String> calls() {
        return calls;
    }

    /** Counted down at the first flush after {@code flushedAfter} was held. */
    public CountDownLatch flushed() {
        return flushed;
    }

    @Override
    public boolean onDelta(String delta) {
        calls.add("at once " + delta);
        return true;
    }

    @Override
    public boolean onBufferedDelta(String delta) {
        calls.add("held " + delta);
        return true;
    }

    @Override
    public void flush() {
        if (calls.contains(flushedAfter)) {
            flushed.countDown();
        }
        calls.add("flush");
    }
}
