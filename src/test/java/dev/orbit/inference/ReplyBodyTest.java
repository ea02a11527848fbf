package dev.orbit.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.Invocable;
import org.junit.jupiter.api.Test;

class ReplyBodyTest {
    /** A body whose bytes have not arrived at the first read: the reader demands, and the demand brings them. */
    private static final class LateSource implements Content.Source {
        final List<Runnable> demands = new ArrayList<>();
        private boolean arrived;

        @Override
        public Content.Chunk read() {
            return arrived ? Content.Chunk.from(ByteBuffer.wrap("hi".getBytes(StandardCharsets.UTF_8)), true) : null;
        }

        @Override
        public void demand(Runnable demandCallback) {
            demands.add(demandCallback);
            arrived = true;
            demandCallback.run(); // as the client does when bytes arrive
        }

        @Override
        public void fail(Throwable failure) {
        }
    }

    @Test
    void waitingForBytesDemandsThemWithACallbackTheClientMayRunOnItsSelector() throws Exception {
        LateSource source = new LateSource();
        ReplyBody body = new ReplyBody(source);
        byte[] into = new byte[8];

        assertThat(body.read(into, 0, into.length)).isEqualTo(2);
        assertThat(body.read(into, 0, into.length)).isEqualTo(-1);
        assertThat(source.demands).hasSize(1);
        // A plain Runnable counts as blocking, and the client would hand every read of the body to another thread.
        assertThat(Invocable.getInvocationType(source.demands.getFirst()))
                .isEqualTo(Invocable.InvocationType.NON_BLOCKING);
    }
}
