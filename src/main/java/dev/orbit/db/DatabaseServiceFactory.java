package dev.orbit.db;

import dev.orbit.db.mongo.MongoDatabaseService;
import dev.orbit.db.mongo.MongoOptions;
import dev.orbit.db.sqlite.SqliteDatabaseService;
import dev.orbit.db.sqlite.SqliteOptions;

/** Chooses and creates the backend named by the configuration (the seed's {@code create_database_service}). */
public final class DatabaseServiceFactory {
    private DatabaseServiceFactory() {
    }

    /** Which backend, and its settings. */
    public sealed interface Backend {
        record Sqlite(SqliteOptions options) implements Backend {
        }

        record Mongo(MongoOptions options) implements Backend {
        }
    }

    /** A new, initialized database service for the backend. */
    public static DatabaseService open(Backend backend, Schema schema) {
        DatabaseService service = switch (backend) {
            case Backend.Sqlite s -> new SqliteDatabaseService(s.options(), schema);
            case Backend.Mongo m -> new MongoDatabaseService(m.options(), schema);
        };
        try {
            service.initialize();
            return service;
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
    }
}
