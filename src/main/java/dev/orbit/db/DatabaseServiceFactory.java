package dev.orbit.db;

import dev.orbit.db.mongo.MongoDatabaseService;
import dev.orbit.db.mongo.MongoOptions;
import dev.orbit.db.postgres.PostgresDatabaseService;
import dev.orbit.db.postgres.PostgresOptions;
import dev.orbit.db.sqlite.SqliteDatabaseService;
import dev.orbit.db.sqlite.SqliteOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Chooses and creates the backend named by the configuration (the seed's {@code create_database_service})
 * and keeps one instance per database location in the process (the seed's singleton): opening the same
 * location twice shares one connection pool and one writer, which SQLite's single-writer design needs.
 */
public final class DatabaseServiceFactory {
    private static final Map<String, SharedDatabaseService.Shared> OPEN = new HashMap<>();

    private DatabaseServiceFactory() {
    }

    /** Which backend, and its settings. */
    public sealed interface Backend {
        /** A key naming the database's location; equal keys mean the same database. Never holds a password. */
        String location();

        record Sqlite(SqliteOptions options) implements Backend {
            @Override
            public String location() {
                return "sqlite:" + canonical(options.databasePath());
            }
        }

        record Postgres(PostgresOptions options) implements Backend {
            @Override
            public String location() {
                return options.location();
            }
        }

        record Mongo(MongoOptions options) implements Backend {
            @Override
            public String location() {
                String target = options.uri() != null ? options.uri().replaceAll("//[^@/]*@", "//") // drop credentials
                        : options.host() + ":" + options.port();
                return "mongodb:" + target + "/" + options.database();
            }
        }
    }

    /**
     * An initialized database service for the backend: a new one, or the one already open for the same
     * location. Each caller closes what it got; the database closes when the last one does.
     */
    public static DatabaseService open(Backend backend, Schema schema) {
        synchronized (OPEN) {
            SharedDatabaseService.Shared shared = OPEN.get(backend.location());
            if (shared == null) {
                shared = new SharedDatabaseService.Shared(create(backend, schema), () -> forget(backend.location()));
                OPEN.put(backend.location(), shared);
            } else if (shared.service().schema() != schema) {
                throw new IllegalStateException(backend.location() + " is already open with another schema");
            }
            return shared.lease();
        }
    }

    private static void forget(String location) {
        synchronized (OPEN) {
            OPEN.remove(location);
        }
    }

    private static DatabaseService create(Backend backend, Schema schema) {
        DatabaseService service = switch (backend) {
            case Backend.Sqlite s -> new SqliteDatabaseService(s.options(), schema);
            case Backend.Mongo m -> new MongoDatabaseService(m.options(), schema);
            case Backend.Postgres p -> new PostgresDatabaseService(p.options(), schema);
        };
        try {
            service.initialize();
            return service;
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
    }

    /** The path with symbolic links and relative parts resolved, also for a file not created yet. */
    private static Path canonical(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        try {
            if (Files.exists(absolute)) {
                return absolute.toRealPath();
            }
            Path parent = absolute.getParent();
            return parent != null && Files.exists(parent) ? parent.toRealPath().resolve(absolute.getFileName()) : absolute;
        } catch (IOException e) {
            return absolute;
        }
    }
}
