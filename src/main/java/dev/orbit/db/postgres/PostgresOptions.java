package dev.orbit.db.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the PostgreSQL backend: the reference ORBIT's {@code internal_services.backend.postgres}
 * keys, or one {@code postgresql://user:password@host:port/database?sslmode=...} URL.
 *
 * @param password       never printed: {@link #toString()} and {@link #location()} leave it out
 * @param sslmode        pgJDBC's {@code sslmode} (disable, allow, prefer, require, verify-ca, verify-full)
 * @param poolSize       connections in the pool
 * @param connectTimeout how long start-up and every operation wait for a connection before failing
 */
public record PostgresOptions(String host, int port, String database, String username, String password,
                              String sslmode, int poolSize, Duration connectTimeout) {
    public static final int DEFAULT_PORT = 5432;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca",
            "verify-full");

    public PostgresOptions {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("postgres host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("postgres port must be between 1 and 65535, got " + port);
        }
        if (database == null || database.isBlank()) {
            throw new IllegalArgumentException("postgres database is empty");
        }
        sslmode = sslmode == null || sslmode.isBlank() ? "prefer" : sslmode;
        if (!SSL_MODES.contains(sslmode)) {
            throw new IllegalArgumentException("postgres sslmode must be one of " + String.join(", ", SSL_MODES.stream()
                    .sorted().toList()) + ", got '" + sslmode + "'");
        }
        if (poolSize < 1 || poolSize > 1000) {
            throw new IllegalArgumentException("postgres pool size must be between 1 and 1000, got " + poolSize);
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("postgres connect timeout must be at least 250 ms");
        }
    }

    public static PostgresOptions of(String host, int port, String database, String username, String password,
                                     String sslmode) {
        return new PostgresOptions(host, port, database, username, password, sslmode, 10, DEFAULT_CONNECT_TIMEOUT);
    }

    /** Whether text looks like a URL this class reads. */
    public static boolean isUrl(String text) {
        return text != null && (text.startsWith("postgresql://") || text.startsWith("postgres://"));
    }

    /**
     * Options from {@code postgresql://[user[:password]@]host[:port][/database][?sslmode=...&connect_timeout=s]}
     * (user and password URL-escaped; database default {@code orbit}). The message of a refusal never holds
     * the password.
     */
    public static PostgresOptions fromUrl(String url) {
        if (!isUrl(url)) {
            throw new IllegalArgumentException("not a postgresql:// URL");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed postgresql:// URL (check that user and password are"
                    + " URL-escaped)");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("postgresql:// URL has no host");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
        Map<String, String> query = query(uri.getRawQuery());
        Duration timeout = DEFAULT_CONNECT_TIMEOUT;
        if (query.containsKey("connect_timeout")) {
            try {
                timeout = Duration.ofSeconds(Long.parseLong(query.get("connect_timeout")));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("postgresql:// URL: connect_timeout must be whole seconds");
            }
        }
        for (String key : query.keySet()) {
            if (!Set.of("sslmode", "connect_timeout").contains(key)) {
                throw new IllegalArgumentException("postgresql:// URL: unknown parameter '" + key
                        + "' (known: sslmode, connect_timeout)");
            }
        }
        return new PostgresOptions(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(),
                path.isEmpty() ? "orbit" : decode(path), user, password, query.get("sslmode"), 10, timeout);
    }

    public PostgresOptions withPoolSize(int size) {
        return new PostgresOptions(host, port, database, username, password, sslmode, size, connectTimeout);
    }

    public PostgresOptions withDatabase(String name) {
        return new PostgresOptions(host, port, name, username, password, sslmode, poolSize, connectTimeout);
    }

    public PostgresOptions withConnectTimeout(Duration timeout) {
        return new PostgresOptions(host, port, database, username, password, sslmode, poolSize, timeout);
    }

    /** A plain pgJDBC connection (not pooled), for tools and checks outside the service. */
    public java.sql.Connection connect() throws java.sql.SQLException {
        java.util.Properties props = new java.util.Properties();
        if (username != null) {
            props.setProperty("user", username);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("sslmode", sslmode);
        props.setProperty("connectTimeout", String.valueOf(Math.max(1, connectTimeout.toSeconds())));
        props.setProperty("reWriteBatchedInserts", "true");
        return java.sql.DriverManager.getConnection(jdbcUrl(), props);
    }

    /** The pgJDBC URL, without user or password (those go in as properties). */
    String jdbcUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + java.net.URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    /** Where the database is, for messages and logs: never the password. */
    public String location() {
        return "postgresql://" + (username == null ? "" : username + "@") + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "PostgresOptions[" + location() + ", sslmode " + sslmode + ", pool " + poolSize + "]";
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
        }
        return out;
    }
}
