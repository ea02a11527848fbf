package dev.orbit.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.RecyclerPool;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
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

    @Test
    void underContentionNoSetIsLentTwiceAtOnceAndTheBoundHolds() throws Exception {
        RecyclerPool<BufferRecycler> pool = SharedJsonBuffers.newPool();
        Set<BufferRecycler> lent = ConcurrentHashMap.newKeySet();
        AtomicInteger lentTwice = new AtomicInteger();
        // Platform threads, more than the pool's bound, so that acquiring and releasing really overlap.
        try (ExecutorService threads = Executors.newFixedThreadPool(SharedJsonBuffers.POOLED + 16)) {
            for (int t = 0; t < SharedJsonBuffers.POOLED + 16; t++) {
                threads.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        BufferRecycler buffers = pool.acquireAndLinkPooled();
                        if (!lent.add(buffers)) {
                            lentTwice.incrementAndGet();
                        }
                        Thread.yield();
                        lent.remove(buffers);
                        buffers.releaseToPool();
                    }
                });
            }
        }

        assertThat(lentTwice).hasValue(0);
        assertThat(pool.pooledCount()).isBetween(1, SharedJsonBuffers.POOLED);
    }

    @Test
    void clearingEmptiesThePoolAndItFillsAgainToItsBound() {
        RecyclerPool<BufferRecycler> pool = SharedJsonBuffers.newPool();
        List<BufferRecycler> inUse = new ArrayList<>();
        for (int i = 0; i < SharedJsonBuffers.POOLED; i++) {
            inUse.add(pool.acquireAndLinkPooled());
        }
        inUse.forEach(BufferRecycler::releaseToPool);
        assertThat(pool.clear()).isTrue();
        assertThat(pool.pooledCount()).isZero();

        inUse.clear();
        for (int i = 0; i < SharedJsonBuffers.POOLED + 1; i++) {
            inUse.add(pool.acquireAndLinkPooled());
        }
        inUse.forEach(BufferRecycler::releaseToPool);
        assertThat(pool.pooledCount()).isEqualTo(SharedJsonBuffers.POOLED);
    }
}
