package dev.orbit.db.mongo;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoInterruptedException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.connection.ClusterDescription;
import com.mongodb.connection.ServerDescription;
import dev.orbit.db.DatabaseConnectionException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.BsonInt32;

/**
 * An open, verified connection: the client, the database, and whether the server runs multi-document
 * transactions. Opening pings the server, so an unreachable or refusing server fails at start-up, within
 * the server selection timeout, with one line naming where it tried.
 */
record MongoConnection(MongoClient client, MongoDatabase database, boolean transactions) implements AutoCloseable {
    /** Connecting gives up after this long even when server selection may wait longer. */
    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    static MongoConnection open(MongoTarget target, Duration serverSelectionTimeout) {
        long selectionMillis = Math.max(1, serverSelectionTimeout.toMillis());
        long connectMillis = Math.min(selectionMillis, MAX_CONNECT_TIMEOUT.toMillis());
        MongoClient client;
        try {
            client = MongoClients.create(MongoClientSettings.builder()
                    .applyConnectionString(target.connectionString())
                    .applicationName("orbit")
                    .applyToClusterSettings(b -> b.serverSelectionTimeout(selectionMillis, TimeUnit.MILLISECONDS))
                    .applyToSocketSettings(b -> b.connectTimeout((int) connectMillis, TimeUnit.MILLISECONDS))
                    .build());
        } catch (RuntimeException e) {
            throw failure(target, "cannot set up a client for", e);
        }
        try {
            client.getDatabase("admin").runCommand(new BsonDocument("ping", new BsonInt32(1)));
            return new MongoConnection(client, client.getDatabase(target.database()),
                    supportsTransactions(client.getClusterDescription()));
        } catch (RuntimeException e) {
            String reason = e instanceof MongoTimeoutException ? serverError(client.getClusterDescription()) : null;
            client.close();
            if (e instanceof MongoInterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (e instanceof MongoSecurityException) {
                throw failure(target, "cannot log in to", e);
            }
            if (e instanceof MongoTimeoutException) {
                throw new DatabaseConnectionException(target.redact("cannot reach MongoDB at " + target.hosts()
                        + " within " + selectionMillis + " ms" + (reason == null ? "" : ": " + reason)), e);
            }
            throw failure(target, "cannot connect to", e);
        }
    }

    /**
     * Whether the server runs multi-document transactions: replica sets and sharded clusters do,
     * standalone servers do not. The driver learns this from each server's {@code hello} reply (a
     * {@code setName} means a replica set member, {@code msg: "isdbgrid"} a mongos) and sums it up in the
     * cluster description, so no second {@code hello} is needed (the in-process test server would not
     * even understand one).
     */
    static boolean supportsTransactions(ClusterDescription cluster) {
        return switch (cluster.getType()) {
            case REPLICA_SET, SHARDED -> cluster.getLogicalSessionTimeoutMinutes() != null;
            case LOAD_BALANCED -> true;
            case STANDALONE, UNKNOWN -> false;
        };
    }

    @Override
    public void close() {
        client.close();
    }

    private static DatabaseConnectionException failure(MongoTarget target, String what, RuntimeException e) {
        return new DatabaseConnectionException(target.redact(what + " MongoDB at " + target.hosts() + ": "
                + MongoErrors.detail(rootCause(e))), e);
    }

    /** The deepest cause the driver recorded for the servers it could not use, e.g. "Connection refused". */
    private static String serverError(ClusterDescription cluster) {
        Throwable error = cluster.getSrvResolutionException();
        for (ServerDescription server : cluster.getServerDescriptions()) {
            if (error == null && server.getException() != null) {
                error = server.getException();
            }
        }
        if (error == null) {
            return null;
        }
        // The class says what the bare message may not: "UnknownHostException: db.example" vs "db.example".
        Throwable root = rootCause(error);
        return root.getClass().getSimpleName() + ": " + MongoErrors.detail(root);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
