package dev.orbit.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProjectionCacheTest {
    private static final CollectionSpec ITEMS = CollectionSpec.builder("items")
            .required("name", FieldType.STRING)
            .optional("qty", FieldType.LONG)
            .build();
    private final ProjectionCache<String> cache = new ProjectionCache<>();
    private final AtomicInteger resolved = new AtomicInteger();

    private String resolve(String answer) {
        resolved.incrementAndGet();
        return answer;
    }

    @Test
    void aProjectionIsResolvedOncePerCollection() {
        assertThat(cache.get(ITEMS, Projection.include("name"), () -> resolve("first"))).isEqualTo("first");
        // An equal projection built anew finds the same answer.
        assertThat(cache.get(ITEMS, Projection.include("name"), () -> resolve("second"))).isEqualTo("first");
        assertThat(resolved).hasValue(1);

        CollectionSpec sameByValue = CollectionSpec.builder("items").required("name", FieldType.STRING)
                .optional("qty", FieldType.LONG).build();
        assertThat(cache.get(sameByValue, Projection.include("name"), () -> resolve("other spec"))).isEqualTo("other spec");
        assertThat(cache.get(ITEMS, Projection.include("qty"), () -> resolve("other projection")))
                .isEqualTo("other projection");
    }

    @Test
    void aRefusalIsNotRemembered() {
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> cache.get(ITEMS, Projection.include("nope"), () -> {
                resolved.incrementAndGet();
                throw new InvalidQueryException("unknown field");
            })).isInstanceOf(InvalidQueryException.class);
        }
        assertThat(resolved).hasValue(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void pastItsBoundAnswersAreWorkedOutEachTime() {
        for (int i = 0; i < ProjectionCache.MAX_ENTRIES + 10; i++) {
            String name = "f" + i;
            assertThat(cache.get(ITEMS, Projection.include(name), () -> resolve(name))).isEqualTo(name);
        }
        assertThat(cache.size()).isEqualTo(ProjectionCache.MAX_ENTRIES);

        String last = "f" + (ProjectionCache.MAX_ENTRIES + 9);
        assertThat(cache.get(ITEMS, Projection.include(last), () -> resolve("again"))).isEqualTo("again");
    }
}
