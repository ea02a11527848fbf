package dev.orbit.inference;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** A sink that records how each piece came ("at once x", "held x") and each "flush", and counts flushes down. */
final class RecordingSink implements StreamSink {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final CountDownLatch flushed = new CountDownLatch(1);

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
        calls.add("flush");
        flushed.countDown();
    }
}
