package dev.orbit.db.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.mongodb.ServerAddress;
import com.mongodb.connection.ClusterConnectionMode;
import com.mongodb.connection.ClusterDescription;
import com.mongodb.connection.ClusterType;
import com.mongodb.connection.ServerConnectionState;
import com.mongodb.connection.ServerDescription;
import com.mongodb.connection.ServerType;
import dev.orbit.db.DatabaseConnectionException;
import dev.orbit.db.DatabaseException;
import dev.orbit.db.Filters;
import dev.orbit.db.InvalidQueryException;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.TransactionsNotSupportedException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Connecting: failing fast and clearly, detecting transactions, and the service's lifecycle. */
class MongoConnectionTest {
    @RegisterExtension
    static final MongoTestServer MONGO = new MongoTestServer();

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void anUnreachableServerFailsFastWithOneLineNamingHostAndPort() throws IOException {
        int port = freePort();
        MongoOptions options = new MongoOptions(null, "127.0.0.1", port, "orbit", "orbit", "s3cret p@ss",
                Map.of(), Duration.ofSeconds(1));
        MongoDatabaseService service = new MongoDatabaseService(options, OrbitSchema.SCHEMA);
        long start = System.nanoTime();
        Throwable failure = catchThrowable(service::initialize);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(elapsedMillis).isLessThan(5_000);
        assertThat(failure).isInstanceOf(DatabaseConnectionException.class);
        assertThat(failure.getMessage()).contains("127.0.0.1:" + port).doesNotContain("\n").doesNotContain("s3cret")
                .startsWith("cannot reach MongoDB at 127.0.0.1:" + port + " within 1000 ms");
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            assertThat(String.valueOf(cause.getMessage())).doesNotContain("s3cret").doesNotContain("s3cret%20p%40ss");
        }
        service.close();
    }

    @Test
    void onAStandaloneServerTransactionsAreRefusedClearly() {
        MongoDatabaseService service = new MongoDatabaseService(MONGO.newDatabase(), OrbitSchema.SCHEMA);
        service.initialize();
        try {
            if (MongoTestServer.inProcess()) {
                assertThat(service.supportsTransactions()).as("the in-process server is standalone").isFalse();
            }
            Assumptions.assumeFalse(service.supportsTransactions(), "this server runs transactions");
            assertThatThrownBy(() -> service.executeTransaction(tx -> tx.count(OrbitSchema.USERS, Filters.all())))
                    .isInstanceOf(TransactionsNotSupportedException.class)
                    .hasMessageContaining("standalone").hasMessageContaining("replica set");
        } finally {
            service.close();
        }
    }

    @Test
    void transactionsAreDetectedFromWhatHelloToldTheDriver() {
        assertThat(MongoConnection.supportsTransactions(cluster(ClusterType.REPLICA_SET, ServerType.REPLICA_SET_PRIMARY, 30)))
                .isTrue();
        assertThat(MongoConnection.supportsTransactions(cluster(ClusterType.SHARDED, ServerType.SHARD_ROUTER, 30))).isTrue();
        assertThat(MongoConnection.supportsTransactions(cluster(ClusterType.STANDALONE, ServerType.STANDALONE, 30))).isFalse();
        // A replica set member too old for sessions cannot run transactions either.
        assertThat(MongoConnection.supportsTransactions(cluster(ClusterType.REPLICA_SET, ServerType.REPLICA_SET_PRIMARY, null)))
                .isFalse();
    }

    @Test
    void operationsBeforeInitializeOrAfterCloseFailWithoutReachingTheServer() {
        MongoDatabaseService service = new MongoDatabaseService(MONGO.newDatabase(), OrbitSchema.SCHEMA);
        assertThatThrownBy(() -> service.count(OrbitSchema.USERS, Filters.all()))
                .isInstanceOf(DatabaseException.class).hasMessageContaining("not initialized");
        service.initialize();
        service.initialize();
        assertThat(service.count(OrbitSchema.USERS, Filters.all())).isZero();
        service.close();
        service.close();
        assertThatThrownBy(service::initialize).isInstanceOf(DatabaseException.class).hasMessageContaining("is closed");
        assertThatThrownBy(() -> service.count(OrbitSchema.USERS, Filters.all()))
                .isInstanceOf(DatabaseException.class).isNotInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("is closed");
    }

    private static ClusterDescription cluster(ClusterType type, ServerType serverType, Integer sessionTimeout) {
        ServerDescription server = ServerDescription.builder().address(new ServerAddress("db.example", 27017))
                .state(ServerConnectionState.CONNECTED).ok(true).type(serverType)
                .setName(serverType == ServerType.REPLICA_SET_PRIMARY ? "rs0" : null)
                .logicalSessionTimeoutMinutes(sessionTimeout).build();
        return new ClusterDescription(type == ClusterType.STANDALONE ? ClusterConnectionMode.SINGLE
                : ClusterConnectionMode.MULTIPLE, type, List.of(server));
    }
}
