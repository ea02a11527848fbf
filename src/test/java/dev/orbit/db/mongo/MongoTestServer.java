package dev.orbit.db.mongo;

import ch.qos.logback.classic.Level;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Gives each test fresh MongoDB databases and drops them afterwards. The server is the in-process
 * wire-protocol server (mongo-java-server with its memory backend, started once per test run on a free
 * port; the real driver talks to it over TCP), or the real MongoDB named by {@value #URI_VARIABLE}.
 */
public final class MongoTestServer implements BeforeEachCallback, AfterEachCallback {
    static final String URI_VARIABLE = "ORBIT_TEST_MONGODB_URI";
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MongoTestServer.class);
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final List<String> created = new ArrayList<>();
    private Server server;

    /** Whether tests run on the in-process server (no real server was named). */
    public static boolean inProcess() {
        return realServerUri() == null;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server = context.getRoot().getStore(NAMESPACE).computeIfAbsent(Server.class, k -> Server.start(),
                Server.class);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (String database : created) {
            server.client.getDatabase(database).drop();
        }
        created.clear();
    }

    /** Options for a new, empty database that is dropped after the test. */
    public MongoOptions newDatabase() {
        return options(newDatabaseName(), Map.of());
    }

    /** Options for a new, empty database with ORBIT's collections renamed on the server. */
    public MongoOptions newDatabase(Map<String, String> collectionNames) {
        return options(newDatabaseName(), collectionNames);
    }

    /** A name for a new database, dropped after the test. */
    String newDatabaseName() {
        String name = "orbit_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        created.add(name);
        return name;
    }

    /** The URI of the server (the in-process one, or the real one). */
    public String uri() {
        return server.uri;
    }

    /** A plain driver client on the same server, for writing and inspecting raw data. */
    MongoDatabase rawDatabase(String name) {
        return server.client.getDatabase(name);
    }

    private MongoOptions options(String database, Map<String, String> collectionNames) {
        return new MongoOptions(server.uri, null, 0, database, null, null, collectionNames, Duration.ofSeconds(10));
    }

    private static String realServerUri() {
        String uri = System.getenv(URI_VARIABLE);
        return uri == null || uri.isBlank() ? null : uri;
    }

    /** The server shared by every test of the run, closed when the run ends. */
    private static final class Server implements AutoCloseable {
        private final MongoServer inProcess;
        private final String uri;
        private final MongoClient client;

        private Server(MongoServer inProcess, String uri) {
            this.inProcess = inProcess;
            this.uri = uri;
            this.client = MongoClients.create(uri);
        }

        static Server start() {
            quietLogging();
            String real = realServerUri();
            if (real != null) {
                System.out.println("MongoDB tests run on the server named by " + URI_VARIABLE);
                return new Server(null, real);
            }
            MongoServer server = new MongoServer(new MemoryBackend());
            InetSocketAddress address = server.bind();
            System.out.println("MongoDB tests run on the in-process wire-protocol server at " + address.getHostString()
                    + ":" + address.getPort() + " (set " + URI_VARIABLE + " to use a real server)");
            return new Server(server, "mongodb://" + address.getHostString() + ":" + address.getPort());
        }

        /** The test server logs every command it refuses as an error with a stack trace; tests refuse many. */
        private static void quietLogging() {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("de.bwaldvogel")).setLevel(Level.OFF);
        }

        @Override
        public void close() {
            client.close();
            if (inProcess != null) {
                inProcess.shutdownNow();
            }
        }
    }
}
