package dev.orbit.cli;

import dev.orbit.admin.DatabaseAdmin;
import dev.orbit.admin.DatabaseUrl;
import dev.orbit.admin.Migrator;
import dev.orbit.admin.ProgressPrinter;
import dev.orbit.admin.Redactor;
import dev.orbit.config.ConfigLoader;
import dev.orbit.config.OrbitHome;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.DatabaseServiceFactory.Backend;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code orbit db}: status, online backup and migration between backends, working on databases directly
 * (not through a running gateway). The work is in {@link DatabaseAdmin}; this class reads the options and
 * prints. Results go to stdout, progress to stderr; a refusal or failure is one line, {@code orbit: ...},
 * exit status 1. No output ever holds a password.
 */
@Command(name = "db", mixinStandardHelpOptions = true,
        subcommands = {DbCommand.Status.class, DbCommand.Backup.class, DbCommand.Migrate.class},
        description = {"Inspect, back up and migrate ORBIT's database (directly, not through a running gateway).",
                "Databases are named by URL: sqlite:PATH (relative to ORBIT_HOME), mongodb://[USER:PASSWORD@]HOST"
                        + "[:PORT][/DATABASE] (database default: orbit), mongodb+srv://...,"
                        + " postgresql://[USER:PASSWORD@]HOST[:PORT][/DATABASE][?sslmode=...], or export:DIR (an export"
                        + " written by 'orbit db backup', as a migration source)."})
public final class DbCommand implements Runnable {
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);

    private final Map<String, String> env;
    private final Function<Backend, DatabaseService> opener;

    @Spec
    private CommandSpec spec;

    DbCommand(Map<String, String> env, Function<Backend, DatabaseService> opener) {
        this.env = env;
        this.opener = opener;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: orbit db status, backup or migrate");
    }

    /** What every {@code orbit db} subcommand shares: the configuration file, output and redaction. */
    abstract static class Subcommand implements Callable<Integer> {
        @ParentCommand
        DbCommand parent;

        @Spec
        CommandSpec spec;

        @Option(names = "--config", paramLabel = "FILE",
                description = "Configuration file naming the default database (default: $ORBIT_HOME/config/config.yaml).")
        Path configFile;

        @Option(names = "--allow-foreign-database", description = "Let ORBIT add its tables to a SQLite file that"
                + " holds another application's (refused by default: a mistyped path must not alter it).")
        boolean allowForeign;

        final Redactor redactor = new Redactor();

        DatabaseAdmin admin() {
            return new DatabaseAdmin(parent.opener, redactor, Clock.systemUTC());
        }

        /** The database a URL names, or without one the configured backend. */
        DatabaseUrl.Database database(String url, DatabaseAdmin admin) {
            if (url != null) {
                redactor.remember(url);
                return allowingForeign(DatabaseUrl.parseDatabase(url, home()));
            }
            return allowingForeign(admin.configured(configuredBackend()));
        }

        DatabaseUrl anySource(String url, DatabaseAdmin admin) {
            if (url != null) {
                redactor.remember(url);
                DatabaseUrl parsed = DatabaseUrl.parse(url, home());
                return parsed instanceof DatabaseUrl.Database database ? allowingForeign(database) : parsed;
            }
            return allowingForeign(admin.configured(configuredBackend()));
        }

        private DatabaseUrl.Database allowingForeign(DatabaseUrl.Database database) {
            return allowForeign && database.backend() instanceof Backend.Sqlite s
                    ? new DatabaseUrl.Database(new Backend.Sqlite(s.options().withForeignAllowed()), database.display())
                    : database;
        }

        private Backend configuredBackend() {
            Path file = configFile != null ? configFile : home().resolve("config/config.yaml");
            return ConfigLoader.load(file, parent.env).backend();
        }

        Path home() {
            return OrbitHome.resolve(parent.env);
        }

        ProgressPrinter progress() {
            return new ProgressPrinter(redactor.redacting(spec.commandLine().getErr()), PROGRESS_INTERVAL);
        }

        int print(List<String> lines) {
            PrintWriter out = spec.commandLine().getOut();
            lines.forEach(line -> out.println(redactor.apply(line)));
            out.flush();
            return 0;
        }
    }

    /** {@code orbit db status}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Show the backend, location, schema version and the document count of every collection,"
                    + " one per line ('chat_history 1234')."})
    static final class Status extends Subcommand {
        @Option(names = "--db", paramLabel = "URL", description = "Database to inspect (default: the configured one).")
        String url;

        @Override
        public Integer call() {
            DatabaseAdmin admin = admin();
            return print(admin.status(database(url, admin)));
        }
    }

    /** {@code orbit db backup}. */
    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = {"Back up the database while the gateway may keep running.",
                    "SQLite: a consistent copy of the file (VACUUM INTO), checked with PRAGMA integrity_check.",
                    "MongoDB (or SQLite with --export): an export directory, one JSON Lines file per collection and a"
                            + " manifest, which 'orbit db migrate --from export:DIR' reads back into any backend."})
    static final class Backup extends Subcommand {
        @Option(names = "--to", paramLabel = "PATH", required = true,
                description = "The backup file (SQLite) or export directory to create, relative to the current directory.")
        Path target;

        @Option(names = "--db", paramLabel = "URL", description = "Database to back up (default: the configured one).")
        String url;

        @Option(names = "--export", description = "Write a portable export directory even from SQLite.")
        boolean export;

        @Option(names = "--force", description = "Replace an existing backup file or earlier export at --to.")
        boolean force;

        @Option(names = "--skip-unknown", description = "Export ORBIT's collections even though the SQLite file holds"
                + " other tables, which are left behind (refused by default, naming them).")
        boolean skipUnknown;

        @Override
        public Integer call() {
            DatabaseAdmin admin = admin();
            return print(admin.backup(database(url, admin), target, force, export, skipUnknown, progress()));
        }
    }

    /** {@code orbit db migrate}. */
    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = {"Copy every ORBIT collection from one database to another (any backends, or from an"
                    + " export), keeping ids, timestamps, hashes and every field; verify the counts at the end.",
                    "Stop the gateway first, or writes made during the copy make the verification fail.",
                    "Progress goes to stderr ('chat_history 120000/250000')."})
    static final class Migrate extends Subcommand {
        @Option(names = "--from", paramLabel = "URL",
                description = "Source: a database URL or export:DIR (default: the configured database).")
        String from;

        @Option(names = "--to", paramLabel = "URL", required = true, description = "Target database URL.")
        String to;

        @Option(names = "--force", description = "Empty the target's ORBIT collections first (their documents are deleted).")
        boolean force;

        @Option(names = "--resume", description = "Continue an interrupted copy: keep what the target holds and copy"
                + " only documents whose id it lacks (safe to run again).")
        boolean resume;

        @Option(names = "--skip-unknown", description = "Copy ORBIT's collections even though the source holds others"
                + " this ORBIT does not carry (a reference ORBIT's feedback, audit logs...), which are left behind"
                + " (refused by default, naming them).")
        boolean skipUnknown;

        @Option(names = "--batch-size", paramLabel = "N", defaultValue = "1000",
                description = "Documents per insertMany (1 to 10000, default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Override
        public Integer call() {
            if (force && resume) {
                throw new ParameterException(spec.commandLine(), "--force and --resume exclude each other: --force"
                        + " empties the target, --resume keeps what it holds");
            }
            if (batchSize < 1 || batchSize > Migrator.Settings.MAX_BATCH_SIZE) {
                throw new ParameterException(spec.commandLine(), "--batch-size must be between 1 and "
                        + Migrator.Settings.MAX_BATCH_SIZE + ", got " + batchSize);
            }
            DatabaseAdmin admin = admin();
            DatabaseUrl.Database target = database(to, admin);
            DatabaseUrl source = anySource(from, admin);
            Migrator.Mode mode = force ? Migrator.Mode.REPLACE : resume ? Migrator.Mode.RESUME
                    : Migrator.Mode.EMPTY_TARGET_ONLY;
            return print(admin.migrate(source, target, new Migrator.Settings(mode, batchSize, skipUnknown), progress()));
        }
    }
}
