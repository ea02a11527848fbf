package dev.orbit.admin;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Prints progress lines such as {@code chat_history 120000/250000} (with {@code (N already there)} when
 * resuming): at most one per interval while a collection is copied, and always its last one.
 */
public final class ProgressPrinter implements Progress {
    private final PrintWriter out;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private long lastPrinted;
    private String lastLine;

    public ProgressPrinter(PrintWriter out, Duration interval) {
        this(out, interval, System::nanoTime);
    }

    ProgressPrinter(PrintWriter out, Duration interval, LongSupplier nanoTime) {
        this.out = out;
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.lastPrinted = nanoTime.getAsLong();
    }

    @Override
    public void batch(String collection, long done, long total, long alreadyThere) {
        long now = nanoTime.getAsLong();
        if (now - lastPrinted >= intervalNanos) {
            print(collection, done, total, alreadyThere);
            lastPrinted = now;
        }
    }

    @Override
    public void finished(String collection, long done, long total, long alreadyThere) {
        if (!line(collection, done, total, alreadyThere).equals(lastLine)) {
            print(collection, done, total, alreadyThere);
        }
        lastPrinted = nanoTime.getAsLong();
    }

    static String line(String collection, long done, long total, long alreadyThere) {
        // The source may grow while it is read; the total it had at the start is then the smaller number.
        return collection + " " + done + "/" + Math.max(done, total)
                + (alreadyThere > 0 ? " (" + alreadyThere + " already there)" : "");
    }

    private void print(String collection, long done, long total, long alreadyThere) {
        lastLine = line(collection, done, total, alreadyThere);
        out.println(lastLine);
        out.flush();
    }
}
