package dev.orbit.db;

import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The {@link DocumentStore} operations of a backend, checked once here: the collection is looked up, and
 * documents, filters, sorts and updates go through {@link Validator} before the backend's hooks see them.
 * A backend implements only the five hooks, on canonical input.
 */
public abstract class CheckedDocumentStore implements DocumentStore {
    private final Schema schema;

    protected CheckedDocumentStore(Schema schema) {
        this.schema = schema;
    }

    /** The documents matching a checked filter, in a checked order and window. */
    protected abstract List<Document> find(CollectionSpec spec, Filter filter, FindOptions options);

    protected abstract long count(CollectionSpec spec, Filter filter);

    /** Inserts checked documents, all or none, and returns their ids (generated where missing). */
    protected abstract List<String> insert(CollectionSpec spec, List<Document> documents);

    /** Updates the first ({@code many=false}) or every matching document; upserts when nothing matched. */
    protected abstract UpdateResult update(CollectionSpec spec, Filter filter, List<Update> update, boolean many,
                                           boolean upsert);

    /** Deletes the first ({@code many=false}) or every matching document; returns how many. */
    protected abstract long delete(CollectionSpec spec, Filter filter, boolean many);

    @Override
    public Optional<Document> findOne(String collection, Filter filter) {
        return findMany(collection, filter, FindOptions.ALL.limit(1)).stream().findFirst();
    }

    @Override
    public List<Document> findMany(String collection, Filter filter, FindOptions options) {
        CollectionSpec spec = schema.collection(collection);
        Filter checked = Validator.filter(spec, filter);
        Sort sort = Validator.sort(spec, options == null ? Sort.NONE : options.sort());
        return find(spec, checked, options == null ? FindOptions.ALL : new FindOptions(sort, options.skip(),
                options.limit(), Validator.projection(spec, options.projection())));
    }

    @Override
    public long count(String collection, Filter filter) {
        CollectionSpec spec = schema.collection(collection);
        return count(spec, Validator.filter(spec, filter));
    }

    @Override
    public String insertOne(String collection, Document document) {
        // A list that may hold null, so that a null document is refused by validation like any bad one.
        return insertMany(collection, Collections.singletonList(document)).getFirst();
    }

    @Override
    public List<String> insertMany(String collection, List<Document> documents) {
        CollectionSpec spec = schema.collection(collection);
        if (documents == null) {
            throw new InvalidQueryException(collection + ": document list is null");
        }
        List<Document> checked = documents.stream().map(d -> Validator.document(spec, d)).toList();
        return checked.isEmpty() ? List.of() : insert(spec, checked);
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
        CollectionSpec spec = schema.collection(collection);
        return delete(spec, Validator.filter(spec, filter), false) > 0;
    }

    @Override
    public long deleteMany(String collection, Filter filter) {
        CollectionSpec spec = schema.collection(collection);
        return delete(spec, Validator.filter(spec, filter), true);
    }

    private UpdateResult update(String collection, Filter filter, Update update, UpdateOptions options, boolean many) {
        CollectionSpec spec = schema.collection(collection);
        Filter checkedFilter = Validator.filter(spec, filter);
        List<Update> checkedUpdate = Validator.update(spec, update);
        return update(spec, checkedFilter, checkedUpdate, many, options != null && options.upsert());
    }
}
