package dev.orbit.db;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What {@link DatabaseService#scan} hands over: documents read one by one, passed to the consumer in lists of
 * at most {@code batchSize}, so memory holds one batch. Not thread-safe: one scan, one instance.
 */
public final class ScanBatches {
    private final int batchSize;
    private final Consumer<List<Document>> consumer;
    private List<Document> batch;
    private long handed;

    public ScanBatches(int batchSize, Consumer<List<Document>> consumer) {
        this.batchSize = batchSize;
        this.consumer = consumer;
        this.batch = newBatch();
    }

    /** The checks every backend's scan makes of its arguments, once the collection is known. */
    public static void check(String collection, int batchSize, Consumer<List<Document>> consumer) {
        if (batchSize < 1) {
            throw new InvalidQueryException(collection + ": scan batch size must be at least 1, got " + batchSize);
        }
        Objects.requireNonNull(consumer, "consumer");
    }

    /** Adds one document; a full batch goes to the consumer (whose exception ends the scan unchanged). */
    public void add(Document document) {
        batch.add(document);
        if (batch.size() == batchSize) {
            consumer.accept(batch);
            handed += batch.size();
            batch = newBatch();
        }
    }

    /** Hands over the last, partial batch; returns how many documents were handed over in all. */
    public long finish() {
        if (!batch.isEmpty()) {
            consumer.accept(batch);
            handed += batch.size();
            batch = newBatch();
        }
        return handed;
    }

    private List<Document> newBatch() {
        return new ArrayList<>(Math.min(batchSize, 1024));
    }
}
