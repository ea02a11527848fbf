package dev.orbit.db.sqlite;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.Document;
import dev.orbit.db.DocumentStore;
import dev.orbit.db.Filter;
import dev.orbit.db.FindOptions;
import dev.orbit.db.Schema;
import dev.orbit.db.Sort;
import dev.orbit.db.Update;
import dev.orbit.db.UpdateOptions;
import dev.orbit.db.UpdateResult;
import dev.orbit.db.Validator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link DocumentStore} operations of the SQLite backend, written once: validate, then run SQL on a
 * connection chosen by the subclass (read pool and group-committing writer for the service; the one
 * connection of a running transaction for its store).
 */
abstract class SqliteDocumentStore implements DocumentStore {
    private final Schema schema;
    private final Map<String, SqliteTable> tables;

    SqliteDocumentStore(Schema schema, Map<String, SqliteTable> tables) {
        this.schema = schema;
        this.tables = tables;
    }

    /** Runs a read; the subclass picks the connection and translates failures. */
    abstract <T> T read(String operation, String collection, SqlWork<T> work);

    /**
     * Runs a write and returns only after it is committed (or is part of a running transaction). The
     * work may share a transaction with other callers' work, so it must leave nothing behind when it
     * fails: one statement, or statements after which a failure changes nothing, or its own savepoint.
     */
    abstract <T> T write(String operation, String collection, SqlWork<T> work);

    @Override
    public Optional<Document> findOne(String collection, Filter filter) {
        return findMany(collection, filter, FindOptions.ALL.limit(1)).stream().findFirst();
    }

    @Override
    public List<Document> findMany(String collection, Filter filter, FindOptions options) {
        SqliteTable table = table(collection);
        Filter checked = Validator.filter(table.spec(), filter);
        Sort sort = Validator.sort(table.spec(), options == null ? Sort.NONE : options.sort());
        FindOptions window = options == null ? FindOptions.ALL : new FindOptions(sort, options.skip(), options.limit());
        return read("find", collection, c -> SqlOperations.find(c, table, checked, window));
    }

    @Override
    public long count(String collection, Filter filter) {
        SqliteTable table = table(collection);
        Filter checked = Validator.filter(table.spec(), filter);
        return read("count", collection, c -> SqlOperations.count(c, table, checked));
    }

    @Override
    public String insertOne(String collection, Document document) {
        // A list that may hold null, so that a null document is refused by validation like any bad one.
        return insertMany(collection, java.util.Collections.singletonList(document)).getFirst();
    }

    @Override
    public List<String> insertMany(String collection, List<Document> documents) {
        SqliteTable table = table(collection);
        if (documents == null) {
            throw new dev.orbit.db.InvalidQueryException(collection + ": document list is null");
        }
        List<Document> checked = documents.stream().map(d -> Validator.document(table.spec(), d)).toList();
        if (checked.isEmpty()) {
            return List.of();
        }
        return write("insert", collection, c -> SqlOperations.insert(c, table, checked));
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
        SqliteTable table = table(collection);
        Filter checkedFilter = Validator.filter(table.spec(), filter);
        List<Update> checkedUpdate = Validator.update(table.spec(), update);
        boolean upsert = options != null && options.upsert();
        return write("update", collection,
                c -> SqlOperations.update(c, table, checkedFilter, checkedUpdate, many, upsert));
    }

    private long delete(String collection, Filter filter, boolean many) {
        SqliteTable table = table(collection);
        Filter checked = Validator.filter(table.spec(), filter);
        return write("delete", collection, c -> SqlOperations.delete(c, table, checked, many));
    }

    SqliteTable table(String collection) {
        CollectionSpec spec = schema.collection(collection);
        return tables.get(spec.name());
    }
}
