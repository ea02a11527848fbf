package dev.orbit.db;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What a projection resolves to for a collection, worked out once: callers keep their projections in constants
 * (the chat context's on every turn), and checking one and listing its columns took about 2% of a chat turn's
 * Java time. Keyed by the collection's spec object itself (the schema's, one per collection: comparing specs by
 * value would cost more than resolving) and the projection's value. Bounded, so that projections built from
 * input could never grow it: past the bound, answers are worked out each time.
 */
final class ProjectionCache<T> {
    static final int MAX_ENTRIES = 512;

    private record Key(CollectionSpec spec, Projection projection) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.spec == spec && key.projection.equals(projection);
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(spec) + projection.hashCode();
        }
    }

    private final Map<Key, T> answers = new ConcurrentHashMap<>();

    /** The cached answer for the spec and projection, else {@code resolve}'s (which may throw: nothing is cached). */
    T get(CollectionSpec spec, Projection projection, Supplier<T> resolve) {
        Key key = new Key(spec, projection);
        T answer = answers.get(key);
        if (answer == null) {
            answer = resolve.get();
            if (answers.size() < MAX_ENTRIES) {
                answers.putIfAbsent(key, answer);
            }
        }
        return answer;
    }

    /** Entries held (for tests of the bound). */
    int size() {
        return answers.size();
    }
}
