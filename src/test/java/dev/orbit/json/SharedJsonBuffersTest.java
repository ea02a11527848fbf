package dev.orbit.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.RecyclerPool;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
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
        RecyclerPool<BufferRecycler> pool = SharedJsonBuffers.newPool();
        AtomicReference<BufferRecycler> first = new AtomicReference<>();
        AtomicReference<BufferRecycler> second = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            BufferRecycler buffers = pool.acquireAndLinkPooled();
            first.set(buffers);
            buffers.releaseToPool();
        }).join();
        Thread.ofVirtual().start(() -> second.set(pool.acquireAndLinkPooled())).join();

        assertThat(second.get()).isNotNull().isSameAs(first.get());
    }

    @Test
    void thePoolKeepsAtMostItsBoundHoweverManyWereInUseAtOnce() {
        RecyclerPool<BufferRecycler> pool = SharedJsonBuffers.newPool();
        List<BufferRecycler> inUse = new ArrayList<>();
        for (int i = 0; i < SharedJsonBuffers.POOLED + 50; i++) {
            inUse.add(pool.acquireAndLinkPooled());
        }
        inUse.forEach(BufferRecycler::releaseToPool);

        assertThat(pool.pooledCount()).isEqualTo(SharedJsonBuffers.POOLED);
    }
}
