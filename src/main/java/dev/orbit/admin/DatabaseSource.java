package dev.orbit.admin;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.Filters;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * A database as a migration source: its schema's collections, read through {@link DatabaseService#scan}, and the
 * names of the other collections (tables) found in it, which this ORBIT cannot read but must not drop silently.
 */
final class DatabaseSource implements MigrationSource {
    private final DatabaseService db;
    private final String display;
    private final List<String> others;

    DatabaseSource(DatabaseService db, String display, List<String> others) {
        this.db = db;
        this.display = display;
        this.others = List.copyOf(others);
    }

    @Override
    public String display() {
        return display;
    }

    @Override
    public List<String> collections() {
        List<String> names = new java.util.ArrayList<>(db.schema().collections().stream().map(CollectionSpec::name).toList());
        others.stream().filter(name -> !db.schema().contains(name)).forEach(names::add);
        return names;
    }

    @Override
    public long count(String collection) {
        return db.count(collection, Filters.all());
    }

    @Override
    public long countUnexpired(CollectionSpec spec, Instant now) {
        return db.count(spec.name(), Expiry.unexpired(spec, now));
    }

    @Override
    public long scan(String collection, int batchSize, Consumer<List<Document>> consumer) {
        return db.scan(collection, batchSize, consumer);
    }

    @Override
    public boolean holds(String collection, String id) {
        return db.findOne(collection, Filters.eq("_id", id)).isPresent();
    }

    @Override
    public void close() {
        db.close();
    }
}
