package dev.orbit.admin;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.Document;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** What {@code orbit db migrate} copies from: a database, or an export directory. */
interface MigrationSource extends AutoCloseable {
    /** The source as an operator may see it (no password). */
    String display();

    /** The names of the collections it holds, in the order to copy them. */
    List<String> collections();

    /** How many documents the collection holds (0 when it holds none or does not exist). */
    long count(String collection);

    /** How many documents of the collection a TTL index would not yet remove at {@code now} (see {@link Expiry}). */
    long countUnexpired(CollectionSpec spec, Instant now);

    /** Hands every document of the collection to the consumer in batches; returns how many. */
    long scan(String collection, int batchSize, Consumer<List<Document>> consumer);

    /** Whether the source holds a document with this id in the collection (an export never changes, so: never). */
    boolean holds(String collection, String id);

    @Override
    void close();
}
