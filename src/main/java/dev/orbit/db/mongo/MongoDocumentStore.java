package dev.orbit.db.mongo;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.ClientSession;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import dev.orbit.db.CheckedDocumentStore;
import dev.orbit.db.CollectionSpec;
import dev.orbit.db.DatabaseException;
import dev.orbit.db.Document;
import dev.orbit.db.DocumentStore;
import dev.orbit.db.DuplicateKeyException;
import dev.orbit.db.FieldSpec;
import dev.orbit.db.Filter;
import dev.orbit.db.FindOptions;
import dev.orbit.db.IndexSpec;
import dev.orbit.db.ScanBatches;
import dev.orbit.db.Sort;
import dev.orbit.db.Update;
import dev.orbit.db.UpdateResult;
import dev.orbit.db.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;

/**
 * The {@link DocumentStore} operations on MongoDB: checked by {@link CheckedDocumentStore} (the shared
 * {@link Validator}), translated with {@link MongoTranslator}, run, and failures translated with
 * {@link MongoErrors}. Bound to a client session while a transaction runs, and to none otherwise.
 *
 * <p>Two operations need more than one server call to keep the contract:
 * <ul>
 * <li>An upsert first updates; when nothing matched it inserts {@link Validator#upsertDocument}, so the
 * inserted document is checked (required fields, types) exactly as on every backend. If a concurrent
 * writer inserts a matching document first, a unique index refuses the insert and the update is retried
 * once, ending as a native upsert would. (As with a native upsert, only a unique index over the filter's
 * fields keeps two concurrent upserts from both inserting.)
 * <li>{@code insertMany} is atomic through a transaction where the server has them. On a standalone
 * server it inserts in order and, when one document fails, deletes the ones inserted before it. Readers
 * may glimpse those for that moment, and if the connection fails mid-batch only the documents with
 * generated ids can be removed safely (a given id may belong to an older document).
 * </ul>
 */
final class MongoDocumentStore extends CheckedDocumentStore {
    private final MongoCollections collections;
    private final MongoClient client;
    private final boolean transactions;
    /** The session of the running transaction, or null outside transactions. */
    private final ClientSession session;

    MongoDocumentStore(MongoCollections collections, MongoClient client, boolean transactions, ClientSession session) {
        super(collections.schema());
        this.collections = collections;
        this.client = client;
        this.transactions = transactions;
        this.session = session;
    }

    /** This store, with every operation running in the session's transaction. */
    MongoDocumentStore inSession(ClientSession transaction) {
        return new MongoDocumentStore(collections, client, transactions, transaction);
    }

    boolean supportsTransactions() {
        return transactions;
    }

    /** Drops the indexes the collection's spec retires, where they exist. */
    void dropRetiredIndexes(CollectionSpec spec) {
        MongoCollections.Bound bound = collections.bind(spec.name());
        run("dropIndex", spec.name(), () -> {
            MongoIndexes.dropRetired(bound.collection(), spec);
            return null;
        });
    }

    void createIndex(String collection, IndexSpec index) {
        MongoCollections.Bound bound = collections.bind(collection);
        bound.spec().checkIndex(index);
        if (!index.backends().include(IndexSpec.Backends.MONGODB)) {
            return; // declared for SQL backends only
        }
        run("createIndex", collection, () -> {
            MongoIndexes.create(bound.collection(), index);
            return null;
        });
    }

    @Override
    protected List<Document> find(CollectionSpec spec, Filter filter, FindOptions options) {
        MongoCollection<BsonDocument> target = collections.collection(spec);
        BsonDocument query = MongoTranslator.filter(spec, filter);
        Sort sort = options.sort();
        return run("find", spec.name(), () -> {
            FindIterable<BsonDocument> found = session == null ? target.find(query) : target.find(session, query);
            if (!sort.isNone()) {
                found.sort(MongoTranslator.sort(sort));
            }
            if (!options.projection().isAll()) {
                found.projection(MongoTranslator.projection(options.projection()));
            }
            // The driver counts in ints; past that, skipping "only" 2^31 - 1 or not limiting is the same.
            found.skip((int) Math.min(options.skip(), Integer.MAX_VALUE));
            found.limit(options.limit() > Integer.MAX_VALUE ? 0 : (int) options.limit());
            List<Document> documents = new ArrayList<>();
            // Closed explicitly: a document that cannot be read must not leave the server cursor open.
            try (MongoCursor<BsonDocument> cursor = found.iterator()) {
                cursor.forEachRemaining(stored -> documents.add(MongoDocuments.fromBson(spec, stored)));
            }
            return documents;
        });
    }

    /**
     * Every document in {@code _id} order through one cursor, in batches of at most {@code batchSize}; the
     * consumer runs outside the driver calls, so its exceptions pass unchanged.
     */
    long scan(String collection, int batchSize, Consumer<List<Document>> consumer) {
        MongoCollections.Bound bound = collections.bind(collection);
        CollectionSpec spec = bound.spec();
        ScanBatches.check(collection, batchSize, consumer);
        MongoCursor<BsonDocument> cursor = run("scan", collection, () -> (session == null
                ? bound.collection().find() : bound.collection().find(session))
                .sort(new BsonDocument(FieldSpec.ID, new BsonInt32(1))).batchSize(batchSize).iterator());
        try {
            long handed = 0;
            while (true) {
                List<Document> batch = run("scan", collection, () -> {
                    List<Document> next = new ArrayList<>(Math.min(batchSize, 1024));
                    while (next.size() < batchSize && cursor.hasNext()) {
                        next.add(MongoDocuments.fromBson(spec, cursor.next()));
                    }
                    return next;
                });
                if (batch.isEmpty()) {
                    return handed;
                }
                consumer.accept(batch);
                handed += batch.size();
            }
        } finally {
            try {
                cursor.close();
            } catch (MongoException | IllegalStateException e) {
                // The server drops an abandoned cursor by itself; the scan's own outcome is what matters.
            }
        }
    }

    @Override
    protected long count(CollectionSpec spec, Filter filter) {
        MongoCollection<BsonDocument> target = collections.collection(spec);
        BsonDocument query = MongoTranslator.filter(spec, filter);
        return run("count", spec.name(), () -> session == null ? target.countDocuments(query)
                : target.countDocuments(session, query));
    }

    @Override
    protected List<String> insert(CollectionSpec spec, List<Document> documents) {
        MongoCollection<BsonDocument> target = collections.collection(spec);
        List<Prepared> batch = documents.stream().map(Prepared::of).toList();
        List<BsonDocument> bson = batch.stream().map(Prepared::bson).toList();
        if (batch.size() == 1 || session != null) {
            run("insert", spec.name(), () -> insert(target, session, bson));
        } else if (transactions) {
            run("insert", spec.name(), () -> insertInOwnTransaction(target, bson));
        } else {
            insertOrUndo(spec.name(), target, batch);
        }
        return batch.stream().map(Prepared::id).toList();
    }

    @Override
    protected UpdateResult update(CollectionSpec spec, Filter filter, List<Update> operations, boolean many,
                                  boolean upsert) {
        String collection = spec.name();
        MongoCollection<BsonDocument> target = collections.collection(spec);
        BsonDocument query = MongoTranslator.filter(spec, filter);
        BsonDocument changes = MongoTranslator.update(operations);
        Supplier<Long> apply = () -> run("update", collection, () -> matched(target, query, changes, many));
        long matched = apply.get();
        if (matched > 0 || !upsert) {
            return new UpdateResult(matched, null);
        }
        // Built only now: an upsert that matches needs no insertable document (its filter may be a range).
        Prepared document = Prepared.of(Validator.upsertDocument(spec, filter, operations));
        try {
            run("upsert", collection, () -> insert(target, session, List.of(document.bson())));
            return new UpdateResult(0, document.id());
        } catch (DuplicateKeyException e) {
            if (session != null) {
                // The server aborted the transaction with the failed insert; a retry could only fail too.
                throw e;
            }
            long matchedOnRetry = apply.get();
            if (matchedOnRetry == 0) {
                throw e;
            }
            return new UpdateResult(matchedOnRetry, null);
        }
    }

    @Override
    protected long delete(CollectionSpec spec, Filter filter, boolean many) {
        MongoCollection<BsonDocument> target = collections.collection(spec);
        BsonDocument query = MongoTranslator.filter(spec, filter);
        return run("delete", spec.name(), () -> (many
                ? (session == null ? target.deleteMany(query) : target.deleteMany(session, query))
                : (session == null ? target.deleteOne(query) : target.deleteOne(session, query))).getDeletedCount());
    }

    private long matched(MongoCollection<BsonDocument> target, BsonDocument query, BsonDocument changes, boolean many) {
        if (many) {
            return (session == null ? target.updateMany(query, changes) : target.updateMany(session, query, changes))
                    .getMatchedCount();
        }
        return (session == null ? target.updateOne(query, changes) : target.updateOne(session, query, changes))
                .getMatchedCount();
    }

    private static Void insert(MongoCollection<BsonDocument> collection, ClientSession session, List<BsonDocument> batch) {
        if (batch.size() == 1) {
            if (session == null) {
                collection.insertOne(batch.getFirst());
            } else {
                collection.insertOne(session, batch.getFirst());
            }
        } else if (session == null) {
            collection.insertMany(batch);
        } else {
            collection.insertMany(session, batch);
        }
        return null;
    }

    private Void insertInOwnTransaction(MongoCollection<BsonDocument> collection, List<BsonDocument> batch) {
        try (ClientSession own = client.startSession()) {
            own.startTransaction(MongoTransaction.OPTIONS);
            try {
                insert(collection, own, batch);
            } catch (RuntimeException e) {
                MongoTransaction.abortQuietly(own, e);
                throw e;
            }
            own.commitTransaction();
            return null;
        }
    }

    /**
     * Ordered insert; on failure, deletes what this batch inserted. Ordered means every document before
     * the first failed one was inserted and none after it was tried.
     */
    private void insertOrUndo(String collection, MongoCollection<BsonDocument> target, List<Prepared> batch) {
        try {
            insert(target, null, batch.stream().map(Prepared::bson).toList());
        } catch (MongoBulkWriteException e) {
            int failedAt = e.getWriteErrors().stream().mapToInt(BulkWriteError::getIndex).min().orElse(batch.size());
            throw undo(collection, target, batch.subList(0, failedAt), MongoErrors.translate(e, "insert", collection));
        } catch (MongoException | IllegalStateException e) {
            // How far it got is unknown; a generated id is new, so its document can only be one of ours.
            List<Prepared> ours = batch.stream().filter(Prepared::generated).toList();
            throw undo(collection, target, ours, MongoErrors.translate(e, "insert", collection));
        }
    }

    private static DatabaseException undo(String collection, MongoCollection<BsonDocument> target,
                                          List<Prepared> inserted, DatabaseException failure) {
        if (inserted.isEmpty()) {
            return failure;
        }
        BsonArray ids = new BsonArray();
        inserted.forEach(d -> ids.add(d.bson().get(FieldSpec.ID)));
        try {
            target.deleteMany(new BsonDocument(FieldSpec.ID, new BsonDocument("$in", ids)));
        } catch (MongoException | IllegalStateException e) {
            failure.addSuppressed(MongoErrors.translate(e, "undo insert", collection));
        }
        return failure;
    }

    private static <T> T run(String operation, String collection, Supplier<T> work) {
        return MongoErrors.call(operation, collection, work);
    }

    /** A validated document as stored; {@code generated} says whether its id was made here. */
    private record Prepared(String id, boolean generated, BsonDocument bson) {
        static Prepared of(Document validated) {
            boolean generated = validated.id() == null;
            String id = generated ? MongoIds.newId() : validated.id();
            return new Prepared(id, generated, MongoDocuments.toBson(validated, id));
        }
    }
}
