package dev.orbit.bench;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.orbit.db.postgres.PostgresTestServer;
import java.net.InetSocketAddress;

/**
 * A database server for {@code bin/bench-http --db postgres|mongodb} (test dependencies, hence here): PostgreSQL is
 * the tests' embedded server (fsync and synchronous_commit off, so its figures leave out the disk) or the one
 * {@code ORBIT_TEST_POSTGRES_URL} names, with a fresh database; MongoDB is the in-process wire-protocol server
 * (mongo-java-server's memory backend: the driver and ORBIT's MongoDB layer over real TCP, not a real MongoDB's
 * storage engine). Prints {@code url <connection url>} and serves until it is stopped.
 */
public final class BenchDatabaseServer {
    private BenchDatabaseServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        String kind = args.length == 1 ? args[0] : "";
        String url = switch (kind) {
            case "postgres" -> PostgresTestServer.url(PostgresTestServer.newDatabase());
            case "mongodb" -> {
                MongoServer server = new MongoServer(new MemoryBackend());
                server.bind("127.0.0.1", 0);
                InetSocketAddress address = server.getLocalAddress();
                Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
                yield "mongodb://127.0.0.1:" + address.getPort() + "/orbit_bench";
            }
            default -> {
                System.err.println("usage: BenchDatabaseServer postgres|mongodb");
                System.exit(2);
                yield null;
            }
        };
        System.out.println("url " + url);
        System.out.flush();
        Thread.currentThread().join();
    }
}
