package dev.orbit.admin;

import com.mongodb.ConnectionString;
import dev.orbit.db.CollectionSpec;
import dev.orbit.db.DatabaseException;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.DatabaseServiceFactory.Backend;
import dev.orbit.db.Filters;
import dev.orbit.db.mongo.MongoCollectionNames;
import dev.orbit.db.mongo.MongoOptions;
import dev.orbit.db.postgres.PgTableNames;
import dev.orbit.db.postgres.PostgresDatabaseService;
import dev.orbit.db.sqlite.DatabaseFiles;
import dev.orbit.db.sqlite.SqliteFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The work behind {@code orbit db status}, {@code backup} and {@code migrate}, on databases opened directly
 * (not through a running server), all through the same {@link DatabaseService} layer as the gateway. Each
 * operation opens what it needs and closes it; failures are {@link AdminException}s of one line with every
 * credential the {@link Redactor} has seen blanked out.
 */
public final class DatabaseAdmin {
    private final Function<Backend, DatabaseService> opener;
    private final Redactor redactor;
    private final Clock clock;

    /** {@code opener} opens and initializes a backend with ORBIT's schema (tests pass their own). */
    public DatabaseAdmin(Function<Backend, DatabaseService> opener, Redactor redactor, Clock clock) {
        this.opener = Objects.requireNonNull(opener, "opener");
        this.redactor = Objects.requireNonNull(redactor, "redactor");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The configured backend as a URL an operator may see; remembers its password for redaction. */
    public DatabaseUrl.Database configured(Backend backend) {
        return switch (backend) {
            case Backend.Sqlite s -> new DatabaseUrl.Database(s, "sqlite:" + s.options().databasePath());
            case Backend.Mongo m -> new DatabaseUrl.Database(m, mongoDisplay(m.options()));
            case Backend.Postgres p -> {
                redactor.rememberSecret(p.options().password());
                yield new DatabaseUrl.Database(p, p.options().location());
            }
        };
    }

    /**
     * {@code backend}, {@code location}, {@code schema version}, then one line per collection:
     * {@code chat_history 1234}. A SQLite file is upgraded to the current schema when opened, as the gateway
     * would; the line says so when that happened.
     */
    public List<String> status(DatabaseUrl.Database database) {
        List<String> lines = new ArrayList<>();
        String version;
        switch (database.backend()) {
            case Backend.Sqlite s -> {
                requireExistingSqlite(database);
                int before = call(database, () -> SqliteFiles.schemaVersion(s.options().databasePath()));
                lines.add("backend: sqlite");
                lines.add("location: " + s.options().databasePath());
                int latest = SqliteFiles.latestSchemaVersion();
                version = before < latest ? latest + " (upgraded from " + before + " when opened now)"
                        : String.valueOf(before);
            }
            case Backend.Postgres p -> {
                int before = call(database, () -> PostgresDatabaseService.schemaVersion(p.options()));
                lines.add("backend: postgres");
                lines.add("location: " + database.display());
                int latest = PostgresDatabaseService.latestSchemaVersion();
                version = before < latest ? latest + " (upgraded from " + before + " when opened now)"
                        : String.valueOf(before);
            }
            case Backend.Mongo m -> {
                lines.add("backend: mongodb");
                lines.add("location: " + database.display());
                version = "n/a (MongoDB databases carry no schema version; indexes are checked when opened)";
            }
        }
        try (DatabaseService db = open(database)) {
            lines.add("schema version: " + version);
            for (CollectionSpec spec : db.schema().collections()) {
                lines.add(spec.name() + " " + call(database, () -> db.count(spec.name(), Filters.all())));
            }
        }
        return lines;
    }

    /**
     * Backs up the database to {@code target}: a SQLite database as a consistent copy of the file, safe while
     * the gateway runs; MongoDB (or SQLite with {@code export}) as an export directory ({@link ExportFormat}).
     * Refuses an existing target unless {@code force}. An export carries ORBIT's collections only, so a database
     * holding other collections (tables) is refused, naming them, unless {@code skipUnknown}. Returns the lines to print.
     */
    public List<String> backup(DatabaseUrl.Database database, Path target, boolean force, boolean export,
                               boolean skipUnknown, Progress progress) {
        Path to = target.toAbsolutePath().normalize();
        requireExistingSqlite(database);
        if (database.backend() instanceof Backend.Sqlite s && !export) {
            return List.of(sqliteBackup(database, s.options().databasePath(), to, force));
        }
        if (database.backend() instanceof Backend.Sqlite s && s.options().databasePath().equals(to)) {
            throw new AdminException("the backup target is the database itself: " + to);
        }
        try (DatabaseService db = open(database)) {
            List<String> leftBehind = stored(database, db).stream().filter(name -> !db.schema().contains(name))
                    .toList();
            if (!leftBehind.isEmpty() && !skipUnknown) {
                throw new AdminException(database.display() + " holds collections this ORBIT does not carry ("
                        + String.join(", ", leftBehind) + "): an export would leave them behind; pass --skip-unknown"
                        + (database.backend() instanceof Backend.Sqlite ? ", or back up the file without --export"
                        + " (that copies every table)" : ""));
            }
            List<ExportWriter.Written> written = call(database, () -> ExportWriter.write(db, database.display(), to,
                    force, Migrator.Settings.DEFAULT_BATCH_SIZE, progress, clock));
            List<String> lines = new ArrayList<>();
            long documents = 0;
            for (ExportWriter.Written w : written) {
                lines.add(w.collection() + " " + w.documents());
                documents += w.documents();
            }
            if (!leftBehind.isEmpty()) {
                lines.add("left behind (--skip-unknown): " + String.join(", ", leftBehind));
            }
            lines.add("exported " + database.display() + " to export:" + to + " (" + written.size() + " collections, "
                    + documents + " documents)");
            if (database.backend() instanceof Backend.Postgres) {
                lines.add("for a native PostgreSQL dump as well: pg_dump --format=custom --file=orbit.dump"
                        + " 'postgresql://USER@HOST:PORT/DATABASE' (restore with pg_restore)");
            }
            return lines;
        }
    }

    /**
     * Copies every collection of {@code from} into {@code to} and verifies the counts (see {@link Migrator}).
     * Returns the lines to print: one per collection, then the verification.
     */
    public List<String> migrate(DatabaseUrl from, DatabaseUrl.Database to, Migrator.Settings settings,
                                Progress progress) {
        if (from instanceof DatabaseUrl.Database source
                && source.backend().location().equals(to.backend().location())) {
            throw new AdminException("source and target are the same database: " + to.display());
        }
        try (MigrationSource source = openSource(from); DatabaseService target = open(to)) {
            List<Migrator.Copied> copied;
            Migrator migrator = new Migrator(source, target, to.display(), settings, progress, clock);
            try {
                copied = migrator.run();
            } catch (DatabaseException e) {
                throw new AdminException(redactor.apply("migrating " + from.display() + " to " + to.display()
                        + " failed: " + e.getMessage() + " (run again with --resume to continue)"), e);
            } catch (AdminException e) {
                throw new AdminException(redactor.apply(e.getMessage()), e.getCause());
            }
            List<String> lines = new ArrayList<>();
            for (Migrator.Copied c : copied) {
                lines.add(c.collection() + " " + c.inTarget() + " (" + c.copied() + " copied"
                        + (settings.mode() == Migrator.Mode.RESUME ? ", " + c.alreadyThere() + " already there" : "")
                        + ")");
            }
            if (!migrator.leftBehind().isEmpty()) {
                lines.add("left behind (--skip-unknown): " + String.join(", ", migrator.leftBehind()));
            }
            lines.add("verified: every collection of " + to.display() + " holds as many documents as "
                    + from.display());
            return lines;
        }
    }

    private String sqliteBackup(DatabaseUrl.Database database, Path source, Path to, boolean force) {
        if (source.equals(to)) {
            throw new AdminException("the backup target is the database itself: " + to);
        }
        try {
            DatabaseFiles.requireRegularOrAbsent(to); // even --force never replaces a device, FIFO or directory
        } catch (DatabaseException e) {
            throw new AdminException(e.getMessage(), e);
        }
        if (Files.exists(to) && !force) {
            throw new AdminException(to + " already exists: use --force to overwrite it");
        }
        try {
            Files.createDirectories(to.getParent());
        } catch (IOException e) {
            throw new AdminException("cannot create the directory of " + to + ": " + e.getMessage(), e);
        }
        call(database, () -> {
            SqliteFiles.backup(source, to, force);
            return null;
        });
        long bytes;
        try {
            bytes = Files.size(to);
        } catch (IOException e) {
            bytes = -1;
        }
        return "backed up " + database.display() + " to " + to + " (" + bytes + " bytes, schema version "
                + SqliteFiles.schemaVersion(to) + ", integrity check ok)";
    }

    private MigrationSource openSource(DatabaseUrl from) {
        return switch (from) {
            case DatabaseUrl.Database database -> {
                requireExistingSqlite(database);
                DatabaseService db = open(database);
                try {
                    yield new DatabaseSource(db, database.display(), stored(database, db));
                } catch (RuntimeException e) {
                    db.close();
                    throw e;
                }
            }
            case DatabaseUrl.Export export -> ExportReader.open(export.directory());
        };
    }

    /**
     * The collections (tables) the database holds, ORBIT's and any others (a reference ORBIT's feedback, audit
     * logs...), so that a copy through ORBIT's schema never leaves the others out silently.
     */
    private List<String> stored(DatabaseUrl.Database database, DatabaseService db) {
        return call(database, () -> switch (database.backend()) {
            case Backend.Sqlite s -> SqliteFiles.tables(s.options().databasePath());
            case Backend.Mongo m -> MongoCollectionNames.others(m.options(), db.schema());
            case Backend.Postgres p -> PgTableNames.of(p.options());
        });
    }

    /** Opening a SQLite path that does not exist would create an empty database there: refused for sources. */
    private static void requireExistingSqlite(DatabaseUrl.Database database) {
        if (database.backend() instanceof Backend.Sqlite s) {
            try {
                DatabaseFiles.requireRegularOrAbsent(s.options().databasePath());
            } catch (DatabaseException e) {
                throw new AdminException(e.getMessage(), e);
            }
            if (!Files.exists(s.options().databasePath())) {
                throw new AdminException("no SQLite database at " + s.options().databasePath());
            }
        }
    }

    private DatabaseService open(DatabaseUrl.Database database) {
        try {
            return opener.apply(database.backend());
        } catch (DatabaseException | IllegalArgumentException e) {
            throw new AdminException(redactor.apply("cannot open " + database.display() + ": " + e.getMessage()), e);
        }
    }

    /** Runs work on an open database, turning a database failure into one redacted line naming the database. */
    private <T> T call(DatabaseUrl.Database database, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (DatabaseException e) {
            throw new AdminException(redactor.apply(database.display() + ": " + e.getMessage()), e);
        } catch (AdminException e) {
            throw new AdminException(redactor.apply(e.getMessage()), e.getCause());
        }
    }

    /** {@code mongodb://user:****@host:port/database} from configured options; remembers the password. */
    private String mongoDisplay(MongoOptions options) {
        redactor.rememberSecret(options.password());
        if (options.uri() != null && !options.uri().isBlank()) {
            redactor.remember(options.uri());
            try {
                ConnectionString uri = new ConnectionString(options.uri());
                String scheme = uri.isSrvProtocol() ? "mongodb+srv://" : "mongodb://";
                String user = uri.getUsername() == null ? "" : uri.getUsername()
                        + (uri.getPassword() == null ? "" : ":" + Redactor.MASK) + "@";
                return scheme + user + String.join(",", uri.getHosts()) + "/" + options.database();
            } catch (RuntimeException e) {
                return Redactor.mask(options.uri());
            }
        }
        String user = options.username() == null || options.username().isEmpty() ? ""
                : options.username() + ":" + Redactor.MASK + "@";
        return "mongodb://" + user + options.host() + ":" + options.port() + "/" + options.database();
    }
}
