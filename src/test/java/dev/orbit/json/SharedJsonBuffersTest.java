package dev.orbit.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SharedJsonBuffersTest {
    @Test
    void itsMappersAndFactoriesUseTheSharedPoolNotOnePerThread() {
        assertThat(SharedJsonBuffers.mapper().getFactory()._getRecyclerPool()).isSameAs(SharedJsonBuffers.POOL);
        assertThat(SharedJsonBuffers.factoryBuilder().build()._getRecyclerPool()).isSameAs(SharedJsonBuffers.POOL);
        // Jackson's own default keeps buffers per thread: what a new virtual thread per request defeats.
        assertThat(new JsonMapper().getFactory()._getRecyclerPool()).isNotSameAs(SharedJsonBuffers.POOL);
    }

    @Test
    void buffersReleasedOnOneVirtualThreadServeTheNext() throws Exception {
        JsonMapper mapper = SharedJsonBuffers.mapper();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < 3; i++) {
            Thread.ofVirtual().start(() -> {
                try {
                    byte[] json = mapper.writeValueAsBytes(Map.of("n", 1));
                    assertThat(mapper.readTree(json).path("n").intValue()).isEqualTo(1);
                } catch (Throwable t) {
                    failure.set(t);
                }
            }).join();
        }
        assertThat(failure.get()).isNull();
        assertThat(SharedJsonBuffers.POOL.pooledCount()).isPositive();
    }

    @Test
    void thePoolKeepsAtMostItsBoundHoweverManyWereInUseAtOnce() {
        List<BufferRecycler> inUse = new ArrayList<>();
        for (int i = 0; i < SharedJsonBuffers.POOLED + 50; i++) {
            inUse.add(SharedJsonBuffers.POOL.acquireAndLinkPooled());
        }
        inUse.forEach(BufferRecycler::releaseToPool);

        assertThat(SharedJsonBuffers.POOL.pooledCount()).isEqualTo(SharedJsonBuffers.POOLED);
    }
}
