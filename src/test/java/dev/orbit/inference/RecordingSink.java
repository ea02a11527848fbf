package dev.orbit.inference;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A sink that records how each piece came ("at once x", "held x") and each "flush", and counts {@link #flushed} down
 * at the first flush after the piece {@code flushedAfter} was held (a flush before it, while the reply's first bytes
 * were awaited, does not count).
 */
final class RecordingSink implements StreamSink {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final CountDownLatch flushed = new CountDownLatch(1);
    private final String flushedAfter;

    RecordingSink(String flushedAfter) {
        this.flushedAfter = "held " + flushedAfter;
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
