package dev.orbit.db.postgres;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.Document;
import dev.orbit.db.DocumentStore;
import dev.orbit.db.Filter;
import dev.orbit.db.FindOptions;
import dev.orbit.db.InvalidQueryException;
import dev.orbit.db.Schema;
import dev.orbit.db.Sort;
import dev.orbit.db.Update;
import dev.orbit.db.UpdateOptions;
import dev.orbit.db.UpdateResult;
import dev.orbit.db.Validator;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link DocumentStore} operations of the PostgreSQL backend, written once: validate, then run SQL on a
 * connection the subclass chooses (a pooled one for the service, the transaction's own for its store).
 */
abstract class PostgresDocumentStore implements DocumentStore {
    private final Schema schema;
    private final Map<String, PgTable> tables;

    PostgresDocumentStore(Schema schema, Map<String, PgTable> tables) {
        this.schema = schema;
        this.tables = tables;
    }

    /** The translator for the connected server. */
    abstract PgTranslator translator();

    /** Runs a read; the subclass picks the connection and translates failures. */
    abstract <T> T read(String operation, String collection, PgWork<T> work);

    /**
     * Runs a write and returns once it is committed (or is part of a running transaction); {@code atomic}
     * work of several statements runs in one transaction of its own.
     */
    abstract <T> T write(String operation, String collection, boolean atomic, PgWork<T> work);

    @Override
    public Optional<Document> findOne(String collection, Filter filter) {
        return findMany(collection, filter, FindOptions.ALL.limit(1)).stream().findFirst();
    }

    @Override
    public List<Document> findMany(String collection, Filter filter, FindOptions options) {
        PgTable table = table(collection);
        Filter checked = Validator.filter(table.spec(), filter);
        Sort sort = Validator.sort(table.spec(), options == null ? Sort.NONE : options.sort());
        FindOptions window = options == null ? FindOptions.ALL : new FindOptions(sort, options.skip(), options.limit());
        return read("find", collection, c -> PgOperations.find(c, translator(), table, checked, window));
    }

    @Override
    public long count(String collection, Filter filter) {
        PgTable table = table(collection);
        Filter checked = Validator.filter(table.spec(), filter);
        return read("count", collection, c -> PgOperations.count(c, translator(), table, checked));
    }

    @Override
    public String insertOne(String collection, Document document) {
        // A list that may hold null, so that a null document is refused by validation like any bad one.
        return insertMany(collection, Collections.singletonList(document)).getFirst();
    }

    @Override
    public List<String> insertMany(String collection, List<Document> documents) {
        PgTable table = table(collection);
        if (documents == null) {
            throw new InvalidQueryException(collection + ": document list is null");
        }
        List<Document> checked = documents.stream().map(d -> Validator.document(table.spec(), d)).toList();
        if (checked.isEmpty()) {
            return List.of();
        }
        return write("insert", collection, checked.size() > 1, c -> PgOperations.insert(c, table, checked));
    }

    @Override
    public UpdateResult updateOne(String collection, Filter filter, Update update, UpdateOptions options) {
        return update(collection, filter, update, options, false);
    }

    @Override
    public UpdateResult updateMany(String collection, Filter filter, Update update, UpdateOptions options) {
        return update(collection, filter, update, options, true);
    }

    @Override
    public boolean deleteOne(String collection, Filter filter) {
        return delete(collection, filter, false) > 0;
    }

    @Override
    public long deleteMany(String collection, Filter filter) {
        return delete(collection, filter, true);
    }

    private UpdateResult update(String collection, Filter filter, Update update, UpdateOptions options, boolean many) {
        PgTable table = table(collection);
        Filter checkedFilter = Validator.filter(table.spec(), filter);
        List<Update> checkedUpdate = Validator.update(table.spec(), update);
        boolean upsert = options != null && options.upsert();
        return write("update", collection, false,
                c -> PgOperations.update(c, translator(), table, checkedFilter, checkedUpdate, many, upsert));
    }

    private long delete(String collection, Filter filter, boolean many) {
        PgTable table = table(collection);
        Filter checked = Validator.filter(table.spec(), filter);
        return write("delete", collection, false, c -> PgOperations.delete(c, translator(), table, checked, many));
    }

    PgTable table(String collection) {
        CollectionSpec spec = schema.collection(collection);
        return tables.get(spec.name());
    }
}
