package dev.orbit.config;

import dev.orbit.db.DatabaseServiceFactory.Backend;
import dev.orbit.db.InvalidQueryException;
import dev.orbit.db.Names;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.mongo.MongoOptions;
import dev.orbit.db.postgres.PostgresOptions;
import dev.orbit.db.sqlite.SqliteOptions;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Reads {@code internal_services} into the {@link Backend} the database factory opens. Only the selected
 * backend's block is checked, so an unused MongoDB block cannot stop a SQLite start; the other backends'
 * readers run on a blank copy of the configuration, so that their keys are known too (a typo in an unused
 * block is still reported, see {@link ConfigKeys}). A backend's reader therefore reads all of its keys before
 * it checks that required ones are there.
 */
public final class BackendReader {
    private static final SqliteOptions SQLITE_DEFAULTS = SqliteOptions.defaults(Path.of("orbit.db"));

    private BackendReader() {
    }

    /** The selected backend with its options; relative SQLite paths are resolved against {@code home}. */
    public static Backend read(ConfigNode root, Path home) {
        BackendType selected = root.section("internal_services").section("backend")
                .choice("type", BackendType.class, BackendType.SQLITE);
        for (BackendType other : BackendType.values()) {
            if (other != selected) {
                try {
                    read(other, root.blank(), home);
                } catch (ConfigException e) {
                    // A blank block lacks its required keys; only the keys its reader asked for matter here.
                }
            }
        }
        return read(selected, root, home);
    }

    private static Backend read(BackendType type, ConfigNode root, Path home) {
        ConfigNode services = root.section("internal_services");
        return switch (type) {
            case SQLITE -> sqlite(services.section("backend").section("sqlite"), home);
            case MONGODB -> mongo(services.section("mongodb"), root.section("chat_history"));
            case POSTGRES -> postgres(services.section("backend").section("postgres"));
        };
    }

    /** The SQLite backend from {@code internal_services.backend.sqlite}. */
    public static Backend.Sqlite sqlite(ConfigNode sqlite, Path home) {
        String file = sqlite.string("database_path", SQLITE_DEFAULTS.databasePath().toString());
        Path path;
        try {
            path = home.resolve(file).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw sqlite.error("database_path", "not a valid path: " + e.getReason());
        }
        return new Backend.Sqlite(new SqliteOptions(
                path,
                sqlite.choice("synchronous", SqliteOptions.Synchronous.class, SQLITE_DEFAULTS.synchronous()),
                Duration.ofMillis(sqlite.integer("busy_timeout_ms", (int) SQLITE_DEFAULTS.busyTimeout().toMillis(),
                        0, Integer.MAX_VALUE)),
                sqlite.integer("read_connections", SQLITE_DEFAULTS.readConnections(), 1, 64))
                .withMmapBytes((long) sqlite.integer("mmap_size_mb", (int) (SQLITE_DEFAULTS.mmapBytes() >> 20), 0,
                        (int) (SqliteOptions.MAX_MMAP_BYTES >> 20)) << 20));
    }

    /**
     * The PostgreSQL backend from {@code internal_services.backend.postgres}: {@code url}
     * ({@code postgresql://user:password@host:port/database?sslmode=...}) wins over host, port, database,
     * username, password and sslmode (the reference's keys).
     */
    public static Backend.Postgres postgres(ConfigNode postgres) {
        // Every key is read before any is required, so all of them count as known (ConfigKeys) even when the
        // url makes the others unused or the backend is not the selected one.
        int poolSize = postgres.integer("pool_size", 10, 1, 1000);
        Duration timeout = Duration.ofMillis(postgres.integer("connect_timeout_ms",
                (int) PostgresOptions.DEFAULT_CONNECT_TIMEOUT.toMillis(), 250, 600_000));
        String url = postgres.string("url").orElse(null);
        String host = postgres.string("host").orElse(null);
        int port = postgres.integer("port", PostgresOptions.DEFAULT_PORT, 1, GeneralConfig.MAX_PORT);
        String database = postgres.string("database", "orbit");
        String username = postgres.string("username").orElse(null);
        String password = postgres.string("password").orElse(null);
        String sslmode = postgres.string("sslmode", "prefer");
        if (url != null) {
            try {
                PostgresOptions parsed = PostgresOptions.fromUrl(url);
                return new Backend.Postgres(new PostgresOptions(parsed.host(), parsed.port(), parsed.database(),
                        parsed.username(), parsed.password(), parsed.sslmode(), poolSize, timeout));
            } catch (IllegalArgumentException e) {
                throw postgres.error("url", e.getMessage());
            }
        }
        if (host == null) {
            throw postgres.error("host", "required when the backend type is postgres and no url is set");
        }
        try {
            return new Backend.Postgres(new PostgresOptions(host, port, database, username, password, sslmode, poolSize,
                    timeout));
        } catch (IllegalArgumentException e) {
            throw postgres.error("sslmode", e.getMessage());
        }
    }

    /**
     * The MongoDB backend from {@code internal_services.mongodb}: {@code uri} wins over host/port/credentials.
     * Collection names come from the reference's keys (and {@code chat_history.collection_name}).
     */
    public static Backend.Mongo mongo(ConfigNode mongodb, ConfigNode chatHistory) {
        String uri = mongodb.string("uri").orElse(null);
        String host = mongodb.string("host").orElse(null);
        String username = mongodb.string("username").orElse(null);
        String password = mongodb.string("password").orElse(null);
        Map<String, String> collections = Map.of(
                OrbitSchema.USERS, collectionName(mongodb, "users_collection", OrbitSchema.USERS),
                OrbitSchema.SESSIONS, collectionName(mongodb, "sessions_collection", OrbitSchema.SESSIONS),
                OrbitSchema.API_KEYS, collectionName(mongodb, "apikey_collection", OrbitSchema.API_KEYS),
                OrbitSchema.SYSTEM_PROMPTS, collectionName(mongodb, "prompts_collection", OrbitSchema.SYSTEM_PROMPTS),
                OrbitSchema.CHAT_HISTORY, collectionName(chatHistory, "collection_name", OrbitSchema.CHAT_HISTORY));
        MongoOptions options = new MongoOptions(
                uri,
                host,
                mongodb.integer("port", 27017, 1, GeneralConfig.MAX_PORT),
                mongodb.string("database", MongoOptions.DEFAULT_DATABASE),
                username,
                password,
                collections,
                Duration.ofMillis(mongodb.integer("server_selection_timeout_ms", 5_000, 1, 600_000)));
        // Every key is read before these checks (see the class comment).
        if (uri == null && host == null) {
            throw mongodb.error("host", "required when the backend type is mongodb and no uri is set");
        }
        if (uri == null && username != null && password == null) {
            throw mongodb.error("password", "required when username is set");
        }
        // MongoOptions decides the database (the uri's wins over `database`); the error names the key it came from.
        if (!MongoOptions.isValidDatabaseName(options.database())) {
            throw mongodb.error(MongoOptions.databaseIn(uri).isPresent() ? "uri" : "database",
                    "expected a MongoDB database name (" + MongoOptions.DATABASE_NAME_RULE + "), got "
                            + Names.quote(options.database()));
        }
        return new Backend.Mongo(options);
    }

    // The persistence layer's identifier rule, checked here so the message names the config key.
    private static String collectionName(ConfigNode section, String key, String defaultValue) {
        String name = section.string(key, defaultValue);
        try {
            return Names.requireIdentifier("collection", name);
        } catch (InvalidQueryException e) {
            throw section.error(key, e.getMessage());
        }
    }
}
