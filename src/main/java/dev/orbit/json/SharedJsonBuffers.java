package dev.orbit.json;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.RecyclerPool;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Jackson for the server's hot paths, whose every request runs on a new virtual thread. Jackson keeps its parse
 * and write buffers (8 KB and more) per thread by default, so each parse and each write on a virtual thread would
 * allocate them anew; these factories and mappers share one pool instead.
 *
 * <p>The pool is bounded: it keeps at most {@value #POOLED} sets of buffers, and a request beyond that allocates
 * its own and lets it go. A set keeps the largest buffers it was given back, about 270 KB after a 1 MB string, so
 * what the pool can hold for good is bounded too, to a few tens of MB at worst; it only holds as many sets as were
 * in use at once, and a set is in use only while a value is read or written.
 *
 * <p>The pool takes no lock. Jackson's own bounded pool is a queue behind one lock, and every parse and write of
 * every request takes it twice: a recording of the chat load found virtual threads parked on it and woken again
 * (2.3% of the CPU samples). Not Jackson's lock-free pool either, which it deprecated in 2.18 because it retained far
 * more buffers than needed under contention (jackson-core #1260, #1271), nor its deque pool, which is unbounded:
 * this is the deque pool with a count that bounds it.
 */
public final class SharedJsonBuffers {
    /** How many sets of buffers the pool keeps: more than the values read or written at once on a busy server. */
    static final int POOLED = 64;
    public static final RecyclerPool<BufferRecycler> POOL = newPool();

    private SharedJsonBuffers() {
    }

    /** A pool as {@link #POOL} is made (the tests take fresh ones). */
    static RecyclerPool<BufferRecycler> newPool() {
        return new BoundedDequePool(POOLED);
    }

    /** A JSON factory builder whose factories use the shared pool. */
    public static JsonFactoryBuilder factoryBuilder() {
        return new JsonFactoryBuilder().recyclerPool(POOL);
    }

    /** A mapper builder whose mapper uses the shared pool. */
    public static JsonMapper.Builder mapperBuilder() {
        return JsonMapper.builder(factoryBuilder().build());
    }

    /** A mapper with Jackson's defaults that uses the shared pool. */
    public static JsonMapper mapper() {
        return mapperBuilder().build();
    }

    /**
     * Sets of buffers in a lock-free deque, the most recently returned first (its buffers are the likeliest to be in
     * a cache), at most {@code bound} of them.
     */
    private static final class BoundedDequePool implements RecyclerPool<BufferRecycler> {
        private static final long serialVersionUID = 1L;

        private final int bound;
        private final ConcurrentLinkedDeque<BufferRecycler> pooled = new ConcurrentLinkedDeque<>();
        // The sets in the deque and those on their way in: raised before a set goes in, lowered after one came out,
        // so it is never below the deque's size, and a set goes in only if it raised the count to the bound at most.
        private final AtomicInteger count = new AtomicInteger();

        BoundedDequePool(int bound) {
            this.bound = bound;
        }

        @Override
        public BufferRecycler acquirePooled() {
            BufferRecycler buffers = pooled.pollFirst();
            if (buffers == null) {
                return new BufferRecycler();
            }
            count.decrementAndGet();
            return buffers;
        }

        @Override
        public void releasePooled(BufferRecycler buffers) {
            if (count.incrementAndGet() > bound) {
                count.decrementAndGet(); // full: these buffers are let go
                return;
            }
            pooled.offerFirst(buffers);
        }

        @Override
        public int pooledCount() {
            return pooled.size();
        }

        @Override
        public boolean clear() {
            for (BufferRecycler buffers = pooled.pollFirst(); buffers != null; buffers = pooled.pollFirst()) {
                count.decrementAndGet();
            }
            return true;
        }
    }
}
