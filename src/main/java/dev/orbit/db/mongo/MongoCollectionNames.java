package dev.orbit.db.mongo;

import dev.orbit.db.Schema;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The collections a MongoDB database holds beyond those a schema declares (a reference ORBIT's feedback, audit
 * logs...): what a copy through the schema would leave behind, so that it can say so instead of dropping them.
 */
public final class MongoCollectionNames {
    private MongoCollectionNames() {
    }

    /** The server's collections that are not the schema's (nor MongoDB's own {@code system.*}), sorted. */
    public static List<String> others(MongoOptions options, Schema schema) {
        Collection<String> declared = MongoCollections.serverNames(schema, options.collectionNames()).values();
        List<String> others = new ArrayList<>();
        try (MongoConnection connection = MongoConnection.open(MongoTarget.of(options), options.serverSelectionTimeout())) {
            for (String name : connection.database().listCollectionNames()) {
                if (!declared.contains(name) && !name.startsWith("system.")) {
                    others.add(name);
                }
            }
        } catch (com.mongodb.MongoException e) {
            throw new dev.orbit.db.DatabaseOperationException("list the collections of " + MongoTarget.of(options)
                    + ": " + e.getMessage(), e);
        }
        others.sort(null);
        return others;
    }
}
