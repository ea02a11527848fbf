package dev.orbit.admin;

import dev.orbit.config.OrbitConfig;
import dev.orbit.config.OrbitHome;
import dev.orbit.db.DatabaseServiceFactory.Backend;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The {@code --db URL} option, as a picocli mixin for the commands that run the gateway ({@code serve},
 * {@code start}): with it the gateway runs on the named database instead of the configured backend, so an
 * operator can try a migration's target before changing the configuration. Add it with
 * {@code @Mixin DatabaseOption database;} and pass the loaded configuration through {@link #applyTo}.
 */
public final class DatabaseOption {
    @Option(names = "--db", paramLabel = "URL", description = "Use this database instead of the configured one:"
            + " sqlite:PATH (relative to ORBIT_HOME), mongodb://[USER:PASSWORD@]HOST[:PORT][/DATABASE] or"
            + " postgresql://[USER:PASSWORD@]HOST[:PORT][/DATABASE][?sslmode=...].")
    private String url;

    /** The URL given with {@code --db}, if any. */
    public Optional<String> url() {
        return Optional.ofNullable(url);
    }

    /**
     * The backend {@code --db} names, if it was given.
     *
     * @throws AdminException one line, without the password, when the URL is not a database ORBIT can run on
     */
    public Optional<Backend> backend(Map<String, String> env) {
        return url().map(u -> backendOf(u, env));
    }

    /** The configuration on {@code --db}'s database, or unchanged without {@code --db}. */
    public OrbitConfig applyTo(OrbitConfig config, Map<String, String> env) {
        return backend(env).map(config::withBackend).orElse(config);
    }

    /** The backend a database URL names (relative SQLite paths under {@code ORBIT_HOME}), without picocli. */
    public static Backend backendOf(String url, Map<String, String> env) {
        return DatabaseUrl.parseDatabase(url, OrbitHome.resolve(env)).backend();
    }
}
