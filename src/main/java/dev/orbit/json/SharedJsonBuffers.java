package dev.orbit.json;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Jackson for the server's hot paths, whose every request runs on a new virtual thread. Jackson keeps its parse
 * and write buffers (8 KB and more) per thread by default, so each parse and each write on a virtual thread would
 * allocate them anew; these factories and mappers share one pool instead.
 *
 * <p>The pool is bounded: it keeps at most {@value #POOLED} sets of buffers, and a request beyond that allocates
 * its own and lets it go. A set keeps the largest buffers it was given back, about 270 KB after a 1 MB string, so
 * what the pool can hold for good is bounded too, to a few tens of MB at worst; it only holds as many sets as were
 * in use at once, and a set is in use only while a value is read or written. (Not the lock-free pool, which
 * Jackson deprecated in 2.18 because it retained far more buffers than needed under contention, jackson-core
 * #1260 and #1271; not the deque pool, which is unbounded.)
 */
public final class SharedJsonBuffers {
    /** How many sets of buffers the pool keeps: more than the values read or written at once on a busy server. */
    static final int POOLED = 64;
    public static final RecyclerPool<BufferRecycler> POOL = newPool();

    private SharedJsonBuffers() {
    }

    /** A pool as {@link #POOL} is made (the tests take fresh ones). */
    static RecyclerPool<BufferRecycler> newPool() {
        return JsonRecyclerPools.newBoundedPool(POOLED);
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
}
