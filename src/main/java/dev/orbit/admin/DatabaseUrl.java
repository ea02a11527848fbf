package dev.orbit.admin;

import dev.orbit.db.DatabaseServiceFactory.Backend;
import dev.orbit.db.mongo.MongoOptions;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A database named on the command line: {@code sqlite:PATH} (relative to {@code ORBIT_HOME}, like the
 * configuration's {@code database_path}), {@code mongodb://...} or {@code mongodb+srv://...} (the database
 * from the path, default {@code orbit}), or {@code export:DIR}, a directory written by {@code orbit db
 * backup} that {@code migrate} can read back. {@link #display()} never holds a password.
 */
public sealed interface DatabaseUrl {
    /** How MongoDB URLs name the database when their path does not. */
    String DEFAULT_MONGO_DATABASE = MongoOptions.DEFAULT_DATABASE;
    /** How long to look for a MongoDB server unless the URL says ({@code serverSelectionTimeoutMS}). */
    Duration DEFAULT_SERVER_SELECTION_TIMEOUT = Duration.ofSeconds(5);

    /** The URL as an operator may see it: credentials masked, SQLite paths absolute. */
    String display();

    /** A database ORBIT can run on. */
    record Database(Backend backend, String display) implements DatabaseUrl {
    }

    /** A portable export directory ({@link ExportFormat}). */
    record Export(Path directory, String display) implements DatabaseUrl {
    }

    /**
     * The database a URL names; relative paths are resolved against {@code home}.
     *
     * @throws AdminException naming what is wrong, with any password masked
     */
    static DatabaseUrl parse(String url, Path home) {
        return DatabaseUrlParser.parse(url, home);
    }

    /** A URL naming a database ORBIT can run on (not an export); see {@link #parse}. */
    static Database parseDatabase(String url, Path home) {
        return switch (parse(url, home)) {
            case Database database -> database;
            case Export export -> throw new AdminException(export.display() + " is an export, not a database: use"
                    + " sqlite:PATH or mongodb://...");
        };
    }
}
