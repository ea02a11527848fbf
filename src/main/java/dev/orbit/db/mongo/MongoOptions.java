package dev.orbit.db.mongo;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the MongoDB backend: either a full {@code uri}, or host/port/credentials from which one is
 * built. {@code collectionNames} maps ORBIT's collection names to the names used on the server (the
 * reference lets operators rename them); unmapped collections keep their own name.
 */
public record MongoOptions(String uri, String host, int port, String database, String username, String password,
                           Map<String, String> collectionNames, Duration serverSelectionTimeout) {
    public MongoOptions {
        Objects.requireNonNull(database, "database");
        collectionNames = Map.copyOf(collectionNames);
        Objects.requireNonNull(serverSelectionTimeout, "serverSelectionTimeout");
    }

    /** A password-free description for logs and errors. */
    @Override
    public String toString() {
        return "MongoOptions[" + (uri != null ? "uri=<set>" : host + ":" + port) + ", database=" + database + "]";
    }
}
