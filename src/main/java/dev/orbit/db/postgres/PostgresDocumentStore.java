package dev.orbit.db.postgres;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.Document;
import dev.orbit.db.DuplicateKeyException;
import dev.orbit.db.Filter;
import dev.orbit.db.FindOptions;
import dev.orbit.db.Schema;
import dev.orbit.db.Update;
import dev.orbit.db.UpdateResult;
import dev.orbit.db.sql.TableDocumentStore;
import java.util.List;
import java.util.Map;

/**
 * The {@link dev.orbit.db.DocumentStore} operations of the PostgreSQL backend, written once: checked by
 * {@link dev.orbit.db.CheckedDocumentStore}, then SQL on a connection the subclass chooses (a pooled one for
 * the service, the transaction's own for its store).
 */
abstract class PostgresDocumentStore extends TableDocumentStore<PgTable> {
    private final boolean retriesUpserts;

    /**
     * @param retriesUpserts whether an upsert that lost the race to insert (another process inserted the same
     *                       unique key first) is retried as an update, as MongoDB does. Not inside a
     *                       transaction: the failed insert aborted it.
     */
    PostgresDocumentStore(Schema schema, Map<String, PgTable> tables, boolean retriesUpserts) {
        super(schema, tables);
        this.retriesUpserts = retriesUpserts;
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
    protected List<Document> find(CollectionSpec spec, Filter filter, FindOptions options) {
        PgTable table = table(spec);
        return read("find", spec.name(), c -> PgOperations.find(c, translator(), table, filter, options));
    }

    @Override
    protected long count(CollectionSpec spec, Filter filter) {
        PgTable table = table(spec);
        return read("count", spec.name(), c -> PgOperations.count(c, translator(), table, filter));
    }

    @Override
    protected List<String> insert(CollectionSpec spec, List<Document> documents) {
        PgTable table = table(spec);
        if (documents.size() == 1) {
            return List.of(insertSingle(table, documents.getFirst()));
        }
        return write("insert", spec.name(), true, c -> PgOperations.insert(c, table, documents));
    }

    /** Inserts one validated document and returns its id; the service groups concurrent callers' inserts. */
    String insertSingle(PgTable table, Document document) {
        return write("insert", table.name(), false, c -> PgOperations.insert(c, table, List.of(document)).getFirst());
    }

    @Override
    protected UpdateResult update(CollectionSpec spec, Filter filter, List<Update> update, boolean many,
                                  boolean upsert) {
        PgTable table = table(spec);
        try {
            return write("update", spec.name(), false,
                    c -> PgOperations.update(c, translator(), table, filter, update, many, upsert));
        } catch (DuplicateKeyException e) {
            if (!upsert || !retriesUpserts) {
                throw e;
            }
            UpdateResult retry = write("update", spec.name(), false,
                    c -> PgOperations.update(c, translator(), table, filter, update, many, false));
            if (retry.matchedCount() == 0) {
                throw e;
            }
            return retry;
        }
    }

    @Override
    protected long delete(CollectionSpec spec, Filter filter, boolean many) {
        PgTable table = table(spec);
        return write("delete", spec.name(), false, c -> PgOperations.delete(c, translator(), table, filter, many));
    }
}
