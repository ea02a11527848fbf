package dev.orbit.db.mongo;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Settings of the MongoDB backend: either a full {@code uri}, or host/port/credentials from which one is
 * built. {@code collectionNames} maps ORBIT's collection names to the names used on the server (the
 * reference lets operators rename them); unmapped collections keep their own name.
 *
 * <p>{@code database} is the database a {@code uri} names in its path when it names one, otherwise the one
 * given. The rule lives here, in the constructor, so that the gateway's configuration, the {@code orbit db}
 * commands' URLs and every other caller end up on the same database for the same URI.
 */
public record MongoOptions(String uri, String host, int port, String database, String username, String password,
                           Map<String, String> collectionNames, Duration serverSelectionTimeout) {
    /** The database when neither the URI nor the configuration names one. */
    public static final String DEFAULT_DATABASE = "orbit";
    /** What {@link #isValidDatabaseName} allows, for messages. */
    public static final String DATABASE_NAME_RULE = "1 to 63 characters, none of / \\ . \" $ * < > : | ? or space";
    // MongoDB's own rule for database names (the union of its Unix and Windows restrictions).
    private static final Pattern DATABASE_NAME = Pattern.compile("[^/\\\\. \"$*<>:|?\\x00]{1,63}");

    public MongoOptions {
        database = databaseIn(uri).orElse(database);
        Objects.requireNonNull(database, "database");
        collectionNames = Map.copyOf(collectionNames);
        Objects.requireNonNull(serverSelectionTimeout, "serverSelectionTimeout");
    }

    /** Whether MongoDB accepts {@code name} as a database name ({@link #DATABASE_NAME_RULE}). */
    public static boolean isValidDatabaseName(String name) {
        return name != null && DATABASE_NAME.matcher(name).matches();
    }

    /**
     * The database a connection string names, by the driver's rule: the path after the hosts, up to a
     * {@code ?}, URL-decoded, up to its first {@code .}. Read from the text rather than by the driver's
     * parser, which resolves a {@code mongodb+srv} host in DNS. Empty when it names none (or is unreadable:
     * the driver then refuses it when connecting).
     */
    public static Optional<String> databaseIn(String uri) {
        if (uri == null) {
            return Optional.empty();
        }
        int scheme = uri.indexOf("://");
        int slash = scheme < 0 ? -1 : uri.indexOf('/', scheme + 3);
        if (slash < 0) {
            return Optional.empty();
        }
        String path = uri.substring(slash + 1);
        int query = path.indexOf('?');
        path = query < 0 ? path : path.substring(0, query);
        try {
            path = URLDecoder.decode(path, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int dot = path.indexOf('.');
        String name = dot < 0 ? path : path.substring(0, dot);
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }

    /** A password-free description for logs and errors. */
    @Override
    public String toString() {
        return "MongoOptions[" + (uri != null ? "uri=<set>" : host + ":" + port) + ", database=" + database + "]";
    }
}
