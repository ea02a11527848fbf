package dev.orbit.db.mongo;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.Filter;
import dev.orbit.db.FindOptions;
import dev.orbit.db.IndexSpec;
import dev.orbit.db.Schema;
import dev.orbit.db.TransactionWork;
import dev.orbit.db.Update;
import dev.orbit.db.UpdateOptions;
import dev.orbit.db.UpdateResult;
import java.util.List;
import java.util.Optional;

/** The MongoDB backend (placeholder until the MongoDB issue fills it in). */
public final class MongoDatabaseService implements DatabaseService {
    private final MongoOptions options;
    private final Schema schema;

    public MongoDatabaseService(MongoOptions options, Schema schema) {
        this.options = options;
        this.schema = schema;
    }

    private static UnsupportedOperationException notYet() {
        return new UnsupportedOperationException("MongoDB backend not implemented yet");
    }

    @Override public void initialize() { throw notYet(); }
    @Override public Schema schema() { return schema; }
    @Override public void createIndex(String collection, IndexSpec index) { throw notYet(); }
    @Override public <T> T executeTransaction(TransactionWork<T> work) { throw notYet(); }
    @Override public String describe() { return "mongodb " + options; }
    @Override public void close() { }
    @Override public Optional<Document> findOne(String collection, Filter filter) { throw notYet(); }
    @Override public List<Document> findMany(String collection, Filter filter, FindOptions options) { throw notYet(); }
    @Override public String insertOne(String collection, Document document) { throw notYet(); }
    @Override public List<String> insertMany(String collection, List<Document> documents) { throw notYet(); }
    @Override public UpdateResult updateOne(String collection, Filter filter, Update update, UpdateOptions options) { throw notYet(); }
    @Override public UpdateResult updateMany(String collection, Filter filter, Update update, UpdateOptions options) { throw notYet(); }
    @Override public boolean deleteOne(String collection, Filter filter) { throw notYet(); }
    @Override public long deleteMany(String collection, Filter filter) { throw notYet(); }
    @Override public long count(String collection, Filter filter) { throw notYet(); }
}
