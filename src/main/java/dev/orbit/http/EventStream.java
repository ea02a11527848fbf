package dev.orbit.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orbit.inference.StreamSink;
import dev.orbit.json.SharedJsonBuffers;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * A {@code text/event-stream} reply: {@code data: <json>} events, each flushed at once, but for a provider's pieces
 * that arrived together (see {@link #sink}). Once opened the status is 200 and errors can only be reported as
 * events. A client that went away makes {@link #send} return false.
 */
final class EventStream {
    private static final ObjectMapper JSON = SharedJsonBuffers.mapper();
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private final ServletOutputStream out;
    private boolean open = true;

    private EventStream(ServletOutputStream out) {
        this.out = out;
    }

    static EventStream open(Context ctx) {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no"); // reverse proxies must not hold events back
        try {
            EventStream stream = new EventStream(ctx.res().getOutputStream());
            ctx.res().flushBuffer();
            return stream;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the event stream", e);
        }
    }

    /** Sends {@code data: <value as JSON>}; false when the client is gone (later sends are skipped). */
    boolean send(Object value) {
        return sendData(json(value), true);
    }

    /** Sends {@code data: <text>} as it is (e.g. OpenAI's {@code [DONE]}). */
    boolean sendRaw(String data) {
        return sendData(data.getBytes(StandardCharsets.UTF_8), true);
    }

    /**
     * A provider's pieces as the events {@code event} makes of them: a piece given to {@link StreamSink#onDelta} is
     * sent at once, one given to {@link StreamSink#onBufferedDelta} waits in the reply's buffer for the sink's flush
     * (which the provider calls before it waits, so no piece received waits with it) or the next event sent.
     */
    StreamSink sink(Function<String, Object> event) {
        return new StreamSink() {
            // Whether a piece waits in the buffer: the provider flushes before every wait, mostly with nothing held.
            private boolean held;

            @Override
            public boolean onDelta(String delta) {
                held = false; // this send's flush takes any held piece with it
                return send(event.apply(delta));
            }

            @Override
            public boolean onBufferedDelta(String delta) {
                held = true;
                return sendData(json(event.apply(delta)), false);
            }

            @Override
            public void flush() {
                if (held && open) {
                    held = false;
                    try {
                        out.flush();
                    } catch (IOException e) {
                        open = false;
                    }
                }
            }
        };
    }

    // Through text, as before: Jackson's byte writer would escape characters beyond 16 bits (an emoji becomes a
    // 12-byte escape) and a lone surrogate, which strict clients refuse; text keeps them UTF-8.
    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an event as JSON", e);
        }
    }

    // The pieces go into the reply's buffer one after another (no joined copy); the flush sends them as one.
    private boolean sendData(byte[] data, boolean flush) {
        if (!open) {
            return false;
        }
        try {
            out.write(DATA);
            out.write(data);
            out.write(END);
            if (flush) {
                out.flush();
            }
            return true;
        } catch (IOException e) {
            open = false;
            return false;
        }
    }

    /** Whether the client is still reading. */
    boolean isOpen() {
        return open;
    }
}
