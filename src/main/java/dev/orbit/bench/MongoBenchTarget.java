package dev.orbit.bench;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.mongo.MongoDatabaseService;
import dev.orbit.db.mongo.MongoOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.types.ObjectId;

/** MongoDB: the service against the plain driver on the same database (dropped first). */
public final class MongoBenchTarget implements BenchTarget {
    private static final int BATCH = 1000;

    private final String description;
    private final MongoClient client;
    private final MongoCollection<org.bson.Document> chat;
    private final MongoDatabaseService service;

    public MongoBenchTarget(String uri) {
        ConnectionString connection = new ConnectionString(uri);
        String database = connection.getDatabase() != null ? connection.getDatabase() : "orbit_bench";
        this.description = "mongodb " + String.join(",", connection.getHosts()) + "/" + database;
        this.client = MongoClients.create(connection);
        client.getDatabase(database).drop();
        this.chat = client.getDatabase(database).getCollection(OrbitSchema.CHAT_HISTORY);
        this.service = new MongoDatabaseService(new MongoOptions(uri, null, 0, database, null, null, Map.of(),
                Duration.ofSeconds(10)), OrbitSchema.SCHEMA);
        service.initialize();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public DatabaseService service() {
        return service;
    }

    @Override
    public void rawInsert(long from, long count, int perSession) {
        List<org.bson.Document> batch = new ArrayList<>(BATCH);
        for (long n = from; n < from + count; n++) {
            batch.add(toBson(ChatRows.row(n, perSession)));
            if (batch.size() == BATCH || n == from + count - 1) {
                chat.insertMany(batch);
                batch.clear();
            }
        }
    }

    @Override
    public int rawLatest50(String sessionId) {
        int rows = 0;
        for (org.bson.Document doc : chat.find(Filters.eq("session_id", sessionId))
                .sort(Sorts.descending("timestamp")).limit(50)) {
            doc.forEach((name, value) -> { });
            rows++;
        }
        return rows;
    }

    private static org.bson.Document toBson(Document row) {
        org.bson.Document doc = new org.bson.Document("_id", new ObjectId());
        row.asMap().forEach((name, value) -> doc.append(name, switch (value) {
            case java.time.Instant t -> Date.from(t);
            case Map<?, ?> m -> new org.bson.Document(castKeys(m));
            default -> value;
        }));
        return doc;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castKeys(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    @Override
    public void close() {
        service.close();
        client.close();
    }
}
