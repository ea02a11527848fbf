package dev.orbit.inference;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * A reply's body read on the caller's thread from the HTTP client's {@link Content.Source}: what has arrived is taken
 * at once, and only when nothing has does the reader wait, after running the hook set by {@link #beforeWaiting}
 * (a streamed reply's relay sends on what it held back, so that nothing received waits with it).
 *
 * <p>Closing the body before its end fails the source, which aborts the exchange and drops its connection.
 */
final class ReplyBody implements AutoCloseable {
    private final Content.Source source;
    private Runnable beforeWaiting = () -> {
    };
    // The chunk being read: null when none is; Content.Chunk.EOF once the body ended; or a failure.
    private Content.Chunk chunk;

    ReplyBody(Content.Source source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** Runs {@code hook} whenever a read is about to wait for the body's next bytes. */
    void beforeWaiting(Runnable hook) {
        beforeWaiting = Objects.requireNonNull(hook, "hook");
    }

    /** Reads what has arrived, at most {@code length} bytes, waiting only if nothing has; -1 at the body's end. */
    int read(byte[] into, int offset, int length) throws IOException {
        while (true) {
            if (chunk == null) {
                chunk = next();
            }
            if (Content.Chunk.isFailure(chunk)) {
                throw new IOException(chunk.getFailure());
            }
            ByteBuffer bytes = chunk.getByteBuffer();
            if (bytes.hasRemaining()) {
                int n = Math.min(bytes.remaining(), length);
                bytes.get(into, offset, n);
                if (!bytes.hasRemaining()) {
                    release();
                }
                return n;
            }
            if (chunk == Content.Chunk.EOF) {
                return -1;
            }
            release(); // an empty chunk
        }
    }

    // The chunk that has arrived, or the next one after waiting for it.
    private Content.Chunk next() throws IOException {
        Content.Chunk next = source.read();
        if (next != null) {
            return next;
        }
        beforeWaiting.run();
        while ((next = source.read()) == null) {
            awaitBytes();
        }
        return next;
    }

    // Parks until the source has something to read (bytes, the end or a failure: a time limit's abort fails it).
    private void awaitBytes() throws InterruptedIOException {
        Thread reader = Thread.currentThread();
        AtomicBoolean readable = new AtomicBoolean();
        // Declared non-blocking, so that the client runs it on its selector thread; a plain Runnable counts as
        // blocking and had every read of a streamed body handed to a pool thread.
        source.demand(Invocable.from(Invocable.InvocationType.NON_BLOCKING, () -> {
            readable.set(true);
            LockSupport.unpark(reader);
        }));
        while (!readable.get()) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt(); // for whoever interrupted the call: it is theirs to see
                InterruptedIOException interrupted = new InterruptedIOException("interrupted while waiting for the reply");
                source.fail(interrupted);
                throw interrupted;
            }
        }
    }

    // Done with the current chunk: a last one leaves the body at its end.
    private void release() {
        boolean last = chunk.isLast();
        chunk.release();
        chunk = last ? Content.Chunk.EOF : null;
    }

    @Override
    public void close() {
        if (chunk == Content.Chunk.EOF || Content.Chunk.isFailure(chunk)) {
            return;
        }
        if (chunk != null) {
            chunk.release();
        }
        IOException closed = new IOException("closed before the end of the reply");
        chunk = Content.Chunk.from(closed);
        source.fail(closed);
    }
}
