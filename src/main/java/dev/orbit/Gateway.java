package dev.orbit;

import dev.orbit.config.AuditConfig;
import dev.orbit.config.LimitsConfig;
import dev.orbit.config.OrbitConfig;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.DatabaseServiceFactory;
import dev.orbit.db.DatabaseServiceFactory.Backend;
import dev.orbit.db.OrbitSchema;
import dev.orbit.http.HttpServer;
import dev.orbit.http.ListenAddress;
import dev.orbit.http.OrbitRoutes;
import dev.orbit.inference.AdapterRegistry;
import dev.orbit.inference.ProviderFactory;
import dev.orbit.service.AdapterCatalog;
import dev.orbit.service.AuditServices;
import dev.orbit.service.ServiceFactory;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running ORBIT: the database and the services on it, then the HTTP server on top; {@link #close} stops them
 * in reverse (HTTP first, letting requests in progress finish, then the inference clients, the services and
 * their jobs, then the database). This is where services get wired to the database and routes to the services.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final ServiceFactory services;
    private final AuditServices audit;
    private final ProviderFactory providers;
    private final HttpServer http;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Gateway(ServiceFactory services, AuditServices audit, ProviderFactory providers, HttpServer http) {
        this.services = services;
        this.audit = audit;
        this.providers = providers;
        this.http = http;
    }

    /** Opens the configured database with ORBIT's schema; the production {@code opener} of {@link #start}. */
    public static DatabaseService openDatabase(Backend backend) {
        return DatabaseServiceFactory.open(backend, OrbitSchema.SCHEMA);
    }

    /**
     * Opens the database with {@code opener} (tests pass their own), wires the services as the configuration
     * says and starts the HTTP server. A generated admin password is printed to standard output once.
     *
     * @throws StartupException if the address cannot be listened on (checked first), or naming the backend if the
     *                          database cannot be opened
     */
    public static Gateway start(OrbitConfig config, Function<Backend, DatabaseService> opener) {
        // Before the database: a wrong --host or a port in use must not first create a database and an admin.
        ListenAddress.check(config.general());
        DatabaseService database;
        try {
            database = opener.apply(config.backend());
        } catch (RuntimeException e) {
            // Whatever the cause (unreachable server, locked or corrupt file, backend not built), the operator
            // needs to know which database failed and why, in one line.
            throw new StartupException("cannot open the database (" + describe(config.backend()) + "): "
                    + e.getMessage(), e);
        }
        return start(config, ServiceFactory.fromConfig(config, database), System.out);
    }

    /**
     * Starts the gateway on services already wired (tests wire theirs with fast password hashing): bootstraps
     * the default admin and the services' jobs, then serves HTTP. The gateway takes the services over and
     * closes them when it closes, or at once if it cannot start.
     */
    public static Gateway start(OrbitConfig config, ServiceFactory services, PrintStream console) {
        CompletableFuture<Gateway> self = new CompletableFuture<>();
        ProviderFactory providers = new ProviderFactory();
        AuditServices audit = null;
        try {
            services.start(console);
            audit = AuditServices.fromConfig(AuditConfig.read(config.raw()), services.database(), services.clock());
            audit.start();
            AdapterRegistry adapters = AdapterRegistry.create(config.adapters(), config.clients().capabilities(),
                    providers);
            // One source of truth for the adapters in force: what chat calls and what API keys may name.
            services.followAdapters(name -> adapters.find(name)
                    .map(a -> new AdapterCatalog.Adapter(a.name(), a.enabled())));
            HttpServer http = HttpServer.start(config.general(), config.http(), config.apiKeys().prefix(),
                    LimitsConfig.read(config.raw()).trustedProxies(),
                    OrbitRoutes.of(config, services, audit, adapters, () -> self.join().close()),
                    services.metrics().http());
            Gateway gateway = new Gateway(services, audit, providers, http);
            self.complete(gateway);
            return gateway;
        } catch (RuntimeException e) {
            try {
                providers.close();
            } finally {
                try {
                    if (audit != null) {
                        audit.close();
                    }
                } finally {
                    services.close();
                }
            }
            throw e;
        }
    }

    /** Which database a backend names, without secrets, for messages written before it is open. */
    public static String describe(Backend backend) {
        return switch (backend) {
            case Backend.Sqlite s -> "sqlite " + s.options().databasePath();
            case Backend.Mongo m -> "mongodb " + m.options();
            case Backend.Postgres p -> "postgres " + p.options().location();
        };
    }

    /** The HTTP port (the real one when 0 was configured). */
    public int port() {
        return http.port();
    }

    /** The open database, for {@code describe()}. */
    public DatabaseService database() {
        return services.database();
    }

    /** The audit and usage services. */
    public AuditServices audit() {
        return audit;
    }

    /** The services the routes call. */
    public ServiceFactory services() {
        return services;
    }

    /** Blocks until {@link #close} has finished (from another thread, e.g. a shutdown hook or {@code POST /admin/shutdown}). */
    public void awaitClosed() throws InterruptedException {
        stopped.await();
    }

    /** Whether {@link #close} has finished. */
    public boolean isClosed() {
        return stopped.getCount() == 0;
    }

    /**
     * Stops the HTTP server (requests in progress may finish within a grace period), then the inference clients,
     * then the services and their jobs, and closes the database. Idempotent; a second caller returns at once.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            http.close();
        } catch (RuntimeException e) {
            LOG.warn("stopping the HTTP server failed; closing the rest anyway", e);
        }
        try {
            providers.close(); // calls still running after the grace period end here
        } finally {
            try {
                audit.close(); // writes the queued conversation records while the database is open
            } catch (RuntimeException e) {
                LOG.warn("stopping the audit writer failed; closing the rest anyway", e);
            }
            try {
                services.close();
            } finally {
                stopped.countDown();
            }
        }
    }
}
