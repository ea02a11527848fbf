package dev.orbit.db.sqlite;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.Document;
import dev.orbit.db.Filter;
import dev.orbit.db.FindOptions;
import dev.orbit.db.Schema;
import dev.orbit.db.Update;
import dev.orbit.db.UpdateResult;
import dev.orbit.db.sql.TableDocumentStore;
import java.util.List;
import java.util.Map;

/**
 * The {@link dev.orbit.db.DocumentStore} operations of the SQLite backend, written once: checked by
 * {@link dev.orbit.db.CheckedDocumentStore}, then SQL on a connection chosen by the subclass (read pool and
 * group-committing writer for the service; the one connection of a running transaction for its store).
 */
abstract class SqliteDocumentStore extends TableDocumentStore<SqliteTable> {
    SqliteDocumentStore(Schema schema, Map<String, SqliteTable> tables) {
        super(schema, tables);
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
    protected List<Document> find(CollectionSpec spec, Filter filter, FindOptions options) {
        SqliteTable table = table(spec);
        return read("find", spec.name(), c -> SqlOperations.find(c, table, filter, options));
    }

    @Override
    protected long count(CollectionSpec spec, Filter filter) {
        SqliteTable table = table(spec);
        return read("count", spec.name(), c -> SqlOperations.count(c, table, filter));
    }

    @Override
    protected List<String> insert(CollectionSpec spec, List<Document> documents) {
        SqliteTable table = table(spec);
        return write("insert", spec.name(), c -> SqlOperations.insert(c, table, documents));
    }

    @Override
    protected UpdateResult update(CollectionSpec spec, Filter filter, List<Update> update, boolean many,
                                  boolean upsert) {
        SqliteTable table = table(spec);
        return write("update", spec.name(), c -> SqlOperations.update(c, table, filter, update, many, upsert));
    }

    @Override
    protected long delete(CollectionSpec spec, Filter filter, boolean many) {
        SqliteTable table = table(spec);
        return write("delete", spec.name(), c -> SqlOperations.delete(c, table, filter, many));
    }
}
