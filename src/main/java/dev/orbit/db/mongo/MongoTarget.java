package dev.orbit.db.mongo;

import com.mongodb.ConnectionString;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where the MongoDB backend connects: the connection string (the configured {@code uri}, or one built
 * from host, port and URL-escaped credentials) and a password-free name for logs and errors. Not a record,
 * so that no generated {@code toString} can ever print the password.
 */
final class MongoTarget {
    /** Host names and IP literals; anything else could smuggle credentials, paths or options into the URI. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._\\-]+|\\[[0-9A-Fa-f:.]+]");
    private final ConnectionString connectionString;
    private final String hosts;
    private final String database;
    private final String password;

    private MongoTarget(ConnectionString connectionString, String hosts, String database, String password) {
        this.connectionString = connectionString;
        this.hosts = hosts;
        this.database = database;
        this.password = password;
    }

    /** The target of the options; an {@link IllegalArgumentException} names the setting that is wrong. */
    static MongoTarget of(MongoOptions options) {
        String database = options.database();
        if (!MongoOptions.isValidDatabaseName(database)) {
            throw new IllegalArgumentException("invalid MongoDB database name '" + database + "': "
                    + MongoOptions.DATABASE_NAME_RULE);
        }
        if (options.uri() != null && !options.uri().isBlank()) {
            ConnectionString uri = new ConnectionString(options.uri());
            char[] password = uri.getPassword();
            return new MongoTarget(uri, String.join(",", uri.getHosts()), database,
                    password == null ? null : new String(password));
        }
        String host = options.host();
        if (host == null || !HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("invalid MongoDB host '" + host + "': expected a host name or IP address");
        }
        // The reference's rule: a host on mongodb.net is Atlas, reached through its DNS seed list (no port).
        boolean atlas = host.toLowerCase(Locale.ROOT).contains("mongodb.net");
        if (!atlas && (options.port() < 1 || options.port() > 65535)) {
            throw new IllegalArgumentException("invalid MongoDB port " + options.port() + ": expected 1 to 65535");
        }
        String address = atlas ? host : host + ":" + options.port();
        StringBuilder uri = new StringBuilder(atlas ? "mongodb+srv://" : "mongodb://");
        if (options.username() != null && !options.username().isEmpty()) {
            if (options.password() == null) {
                throw new IllegalArgumentException("MongoDB username '" + options.username() + "' is set without a"
                        + " password (for other authentication mechanisms, give a uri)");
            }
            uri.append(escape(options.username())).append(':').append(escape(options.password())).append('@');
        }
        // No database in the path: credentials are then checked against "admin", MongoDB's usual place.
        uri.append(address).append('/');
        return new MongoTarget(new ConnectionString(uri.toString()), address, database, options.password());
    }

    /**
     * Percent-encodes a user name or password for a connection string: every reserved character, and a
     * space as {@code %20} (the driver decodes {@code +} as a space, so a literal {@code +} is encoded).
     */
    static String escape(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    ConnectionString connectionString() {
        return connectionString;
    }

    /** The servers, as {@code host:port} (comma-separated when several). */
    String hosts() {
        return hosts;
    }

    String database() {
        return database;
    }

    /** "mongodb host:port/database": what runs where, without credentials. */
    String describe() {
        return "mongodb " + hosts + "/" + database;
    }

    /** The text with the password (plain or escaped) blanked out, in case a message ever echoes it. */
    String redact(String text) {
        if (text == null || password == null || password.isEmpty()) {
            return text;
        }
        return text.replace(password, "****").replace(escape(password), "****");
    }

    @Override
    public String toString() {
        return describe();
    }
}
