package dev.orbit.db.mongo;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import dev.orbit.db.CollectionSpec;
import dev.orbit.db.Schema;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bson.BsonDocument;

/**
 * The server collections behind ORBIT's collections. Names map through {@link MongoOptions#collectionNames()}
 * (the reference ORBIT lets operators rename its collections); unmapped collections keep their own name.
 */
final class MongoCollections {
    /** A declared collection and the server collection that holds it. */
    record Bound(CollectionSpec spec, MongoCollection<BsonDocument> collection) {
    }

    private final Schema schema;
    private final Map<String, MongoCollection<BsonDocument>> collections;

    MongoCollections(MongoDatabase database, Schema schema, Map<String, String> serverNames) {
        this.schema = schema;
        Map<String, MongoCollection<BsonDocument>> bound = new HashMap<>();
        serverNames.forEach((name, serverName) -> bound.put(name, database.getCollection(serverName, BsonDocument.class)));
        this.collections = Map.copyOf(bound);
    }

    /**
     * The server name of every collection of the schema, checked: a name MongoDB accepts, used only once.
     * Names configured for collections this schema does not have are not needed, so they are not used.
     */
    static Map<String, String> serverNames(Schema schema, Map<String, String> configured) {
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, String> owners = new HashMap<>();
        for (CollectionSpec spec : schema.collections()) {
            String serverName = configured.getOrDefault(spec.name(), spec.name());
            requireValid(spec.name(), serverName);
            String owner = owners.putIfAbsent(serverName, spec.name());
            if (owner != null) {
                throw new IllegalArgumentException("MongoDB collection names: " + owner + " and " + spec.name()
                        + " are both mapped to '" + serverName + "'");
            }
            names.put(spec.name(), serverName);
        }
        return names;
    }

    /** The declared collection and its server collection; an unknown name is an InvalidQueryException. */
    Bound bind(String collection) {
        CollectionSpec spec = schema.collection(collection);
        return new Bound(spec, collections.get(spec.name()));
    }

    /** The schema whose collections these are. */
    Schema schema() {
        return schema;
    }

    /** The server collection of a declared (already looked up) collection. */
    MongoCollection<BsonDocument> collection(CollectionSpec spec) {
        return collections.get(spec.name());
    }

    private static void requireValid(String name, String serverName) {
        if (serverName == null || serverName.isBlank() || serverName.length() > 120 || serverName.indexOf('$') >= 0
                || serverName.indexOf('\0') >= 0 || serverName.startsWith("system.")) {
            throw new IllegalArgumentException("MongoDB collection name for " + name + " is invalid: '" + serverName
                    + "' (1 to 120 characters, no '$', not starting with 'system.')");
        }
    }
}
