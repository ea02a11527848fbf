package dev.orbit.admin;

import com.mongodb.ConnectionString;
import com.mongodb.MongoException;
import dev.orbit.db.DatabaseServiceFactory.Backend;
import dev.orbit.db.mongo.MongoOptions;
import dev.orbit.db.postgres.PostgresOptions;
import dev.orbit.db.sqlite.SqliteOptions;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** The rules of {@link DatabaseUrl#parse}. */
final class DatabaseUrlParser {
    static final String EXPECTED = "sqlite:PATH, mongodb://[USER:PASSWORD@]HOST[:PORT][/DATABASE],"
            + " mongodb+srv://..., postgresql://[USER:PASSWORD@]HOST[:PORT][/DATABASE][?sslmode=...] or export:DIR";

    private DatabaseUrlParser() {
    }

    static DatabaseUrl parse(String url, Path home) {
        if (url == null || url.isBlank()) {
            throw new AdminException("missing database URL: expected " + EXPECTED);
        }
        String text = url.strip();
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("sqlite:")) {
            Path path = path(text, "sqlite:", home);
            return new DatabaseUrl.Database(new Backend.Sqlite(SqliteOptions.defaults(path)), "sqlite:" + path);
        }
        if (lower.startsWith("export:")) {
            Path path = path(text, "export:", home);
            return new DatabaseUrl.Export(path, "export:" + path);
        }
        if (lower.startsWith("mongodb://") || lower.startsWith("mongodb+srv://")) {
            return mongo(text);
        }
        if (lower.startsWith("postgresql:") || lower.startsWith("postgres:")) {
            return postgres(text);
        }
        throw new AdminException("unrecognized database URL '" + Redactor.mask(text) + "': expected " + EXPECTED);
    }

    private static Path path(String url, String scheme, Path home) {
        String file = url.substring(scheme.length());
        if (file.isBlank()) {
            throw new AdminException("'" + url + "' names no file: expected " + scheme + "PATH");
        }
        try {
            return home.resolve(file).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new AdminException("'" + url + "' is not a valid path: " + e.getReason());
        }
    }

    private static DatabaseUrl.Database postgres(String url) {
        String shown = Redactor.mask(url);
        try {
            return new DatabaseUrl.Database(new Backend.Postgres(PostgresOptions.fromUrl(url)), shown);
        } catch (IllegalArgumentException e) {
            throw new AdminException("invalid PostgreSQL URL " + shown + ": " + e.getMessage());
        }
    }

    private static DatabaseUrl.Database mongo(String url) {
        String shown = Redactor.mask(url);
        ConnectionString parsed;
        try {
            parsed = new ConnectionString(url);
        } catch (IllegalArgumentException | MongoException e) {
            // MongoException: a mongodb+srv URL's DNS lookup (done when parsing) failed.
            Redactor redactor = new Redactor();
            redactor.remember(url);
            throw new AdminException("invalid MongoDB URL " + shown + ": " + redactor.apply(String.valueOf(e.getMessage())));
        }
        Integer timeout = parsed.getServerSelectionTimeout();
        Duration selection = timeout == null || timeout <= 0 ? DatabaseUrl.DEFAULT_SERVER_SELECTION_TIMEOUT
                : Duration.ofMillis(timeout);
        // MongoOptions decides the database from the URL, as it does for the configured uri.
        MongoOptions options = new MongoOptions(url, null, 0, DatabaseUrl.DEFAULT_MONGO_DATABASE, null, null,
                Map.of(), selection);
        if (!MongoOptions.isValidDatabaseName(options.database())) {
            throw new AdminException("invalid MongoDB URL " + shown + ": database name '" + options.database()
                    + "' must be " + MongoOptions.DATABASE_NAME_RULE);
        }
        return new DatabaseUrl.Database(new Backend.Mongo(options), shown);
    }
}
