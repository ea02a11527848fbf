package dev.orbit.db.mongo;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import dev.orbit.db.CollectionSpec;
import dev.orbit.db.DatabaseOperationException;
import dev.orbit.db.IndexSpec;
import dev.orbit.db.Sort;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates declared indexes on the server, idempotently. A unique index ignores documents that lack any
 * of its fields, as on SQL; a TTL index carries {@code expireAfterSeconds}. An equivalent index that
 * already exists under another name (the reference ORBIT names its own) is accepted as it is.
 */
final class MongoIndexes {
    private static final Logger LOG = LoggerFactory.getLogger(MongoIndexes.class);
    /** IndexOptionsConflict, IndexKeySpecsConflict, IndexAlreadyExists: the key pattern or name is taken. */
    private static final Set<Integer> CONFLICT_CODES = Set.of(85, 86, 68);

    private MongoIndexes() {
    }

    static void create(MongoCollection<BsonDocument> collection, IndexSpec index) {
        BsonDocument keys = keys(index);
        try {
            collection.createIndex(keys, options(index));
        } catch (MongoCommandException e) {
            if (!CONFLICT_CODES.contains(e.getErrorCode())) {
                throw e;
            }
            BsonDocument existing = existingWithKeys(collection, keys).orElseThrow(() -> e);
            if (!equivalent(existing, index)) {
                throw new DatabaseOperationException("index " + index.name() + " on "
                        + collection.getNamespace().getCollectionName() + " conflicts with the existing index "
                        + existing.getString("name").getValue() + " on the same fields but with other options; "
                        + "drop one of them", e);
            }
            LOG.info("{}: index {} already exists as {}", collection.getNamespace(), index.name(),
                    existing.getString("name").getValue());
        }
    }

    private static BsonDocument keys(IndexSpec index) {
        return MongoTranslator.sort(new Sort(index.keys()));
    }

    /** The server's code for dropping an index that does not exist (any more). */
    private static final int INDEX_NOT_FOUND = 27;

    /**
     * Drops the collection's indexes of the retired names and those declared for SQL backends only, where they exist (an index of another name on the same
     * keys, the reference ORBIT's own, stays). A retired index that is exactly a declared one under its old name
     * (keys and options: a rename for the SQL backends' sake) is kept and serves as it, so that a unique index is
     * never missing while other gateways write.
     */
    static void dropRetired(MongoCollection<BsonDocument> collection, CollectionSpec spec) {
        List<String> dropped = spec.droppedIndexesOn(IndexSpec.Backends.MONGODB);
        if (dropped.isEmpty()) {
            return;
        }
        for (BsonDocument existing : collection.listIndexes(BsonDocument.class)) {
            String name = existing.getString("name").getValue();
            if (!dropped.contains(name)) {
                continue;
            }
            Optional<IndexSpec> same = spec.indexesOn(IndexSpec.Backends.MONGODB).stream()
                    .filter(index -> sameDefinition(existing, index)).findFirst();
            if (same.isPresent()) {
                LOG.info("{}: the retired index {} is kept as {}", collection.getNamespace(), name,
                        same.get().name());
            } else {
                try {
                    collection.dropIndex(name);
                    LOG.info("{}: dropped the retired index {}", collection.getNamespace(), name);
                } catch (MongoCommandException e) {
                    // Another gateway starting at the same time dropped it between the listing and here.
                    if (e.getErrorCode() != INDEX_NOT_FOUND) {
                        throw e;
                    }
                }
            }
        }
    }

    /** The same keys, uniqueness, sparseness, expiry and partial filter as the declared index would have. */
    private static boolean sameDefinition(BsonDocument existing, IndexSpec index) {
        IndexOptions wanted = options(index);
        Long seconds = existing.get("expireAfterSeconds") instanceof BsonNumber n ? n.longValue() : null;
        return sameKeys(existing.getDocument("key", new BsonDocument()), keys(index))
                && existing.getBoolean("unique", BsonBoolean.FALSE).getValue() == wanted.isUnique()
                && existing.getBoolean("sparse", BsonBoolean.FALSE).getValue() == wanted.isSparse()
                && Objects.equals(seconds, wanted.getExpireAfter(TimeUnit.SECONDS))
                && Objects.equals(existing.get("partialFilterExpression"), wanted.getPartialFilterExpression());
    }

    private static IndexOptions options(IndexSpec index) {
        IndexOptions options = new IndexOptions().name(index.name());
        // exceptEqual is left out: partial filters cannot compare two fields, so the index holds every document.
        BsonDocument partial = new BsonDocument();
        if (index.unique()) {
            options.unique(true);
            if (index.keys().size() == 1) {
                // For one field, sparse is exactly "only documents that have the field", and every server
                // understands it, the in-process test server included (it ignores partial filters).
                options.sparse(true);
            } else {
                // Sparse would index a document having any one of the fields; SQL ignores a row lacking any.
                index.fields().forEach(f -> partial.append(f, new BsonDocument("$exists", BsonBoolean.TRUE)));
            }
        }
        // The in-process test server ignores this filter and indexes every document: larger, same answers.
        index.present().forEach(f -> partial.append(f, new BsonDocument("$exists", BsonBoolean.TRUE)));
        if (!partial.isEmpty()) {
            options.partialFilterExpression(partial);
        }
        if (index.isTtl()) {
            options.expireAfter(index.ttl().toSeconds(), TimeUnit.SECONDS);
        }
        return options;
    }

    private static Optional<BsonDocument> existingWithKeys(MongoCollection<BsonDocument> collection, BsonDocument keys) {
        for (BsonDocument existing : collection.listIndexes(BsonDocument.class)) {
            if (sameKeys(existing.getDocument("key", new BsonDocument()), keys)) {
                return Optional.of(existing);
            }
        }
        return Optional.empty();
    }

    /** Key patterns are equal field by field, in order; a server may write 1 as int32, int64 or double. */
    private static boolean sameKeys(BsonDocument a, BsonDocument b) {
        if (!List.copyOf(a.keySet()).equals(List.copyOf(b.keySet()))) {
            return false;
        }
        for (String field : a.keySet()) {
            if (!(a.get(field) instanceof BsonNumber x && b.get(field) instanceof BsonNumber y)
                    || Math.signum(x.doubleValue()) != Math.signum(y.doubleValue())) {
                return false;
            }
        }
        return true;
    }

    /** The same uniqueness and the same expiry; sparse or partial filters aside, it enforces what ORBIT needs. */
    private static boolean equivalent(BsonDocument existing, IndexSpec index) {
        boolean unique = existing.getBoolean("unique", BsonBoolean.FALSE).getValue();
        Long seconds = existing.get("expireAfterSeconds") instanceof BsonNumber n ? n.longValue() : null;
        Long wanted = index.isTtl() ? index.ttl().toSeconds() : null;
        return unique == index.unique() && Objects.equals(seconds, wanted);
    }
}
