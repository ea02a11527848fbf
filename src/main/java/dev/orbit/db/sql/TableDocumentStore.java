package dev.orbit.db.sql;

import dev.orbit.db.CheckedDocumentStore;
import dev.orbit.db.CollectionSpec;
import dev.orbit.db.Schema;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link CheckedDocumentStore} keeping one table per collection of its schema: what the stores of both SQL
 * backends share. The tables are made once, for the service, and shared with its transactions' stores.
 *
 * @param <T> the backend's table (its SQL for one collection)
 */
public abstract class TableDocumentStore<T> extends CheckedDocumentStore {
    private final Schema schema;
    private final Map<String, T> tables;

    protected TableDocumentStore(Schema schema, Map<String, T> tables) {
        super(schema);
        this.schema = schema;
        this.tables = tables;
    }

    /** One table per collection of the schema, by collection name. */
    protected static <T> Map<String, T> tablesOf(Schema schema, Function<CollectionSpec, T> table) {
        Map<String, T> tables = new LinkedHashMap<>();
        for (CollectionSpec spec : schema.collections()) {
            tables.put(spec.name(), table.apply(spec));
        }
        return Map.copyOf(tables);
    }

    /** The tables, to share with a transaction's store. */
    protected final Map<String, T> tables() {
        return tables;
    }

    /** The table of a collection already looked up. */
    protected final T table(CollectionSpec spec) {
        return tables.get(spec.name());
    }

    /** The table of a collection by name; an unknown name is an {@link dev.orbit.db.InvalidQueryException}. */
    public final T table(String collection) {
        return table(schema.collection(collection));
    }
}
