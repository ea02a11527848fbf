package dev.orbit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.Gateway;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.DatabaseServiceFactory;
import dev.orbit.db.DatabaseServiceFactory.Backend;
import dev.orbit.db.Document;
import dev.orbit.db.Filters;
import dev.orbit.db.IdUtils;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.mongo.MongoOptions;
import dev.orbit.db.mongo.MongoTestServer;
import dev.orbit.db.sqlite.SqliteFiles;
import dev.orbit.db.sqlite.SqliteOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code orbit db status | backup | migrate} as an operator runs them: output, refusals and exit status. */
class DbCommandTest {
    @RegisterExtension
    static final MongoTestServer MONGO = new MongoTestServer();

    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path home;

    private record Run(int status, String out, String err) {
    }

    private Run orbit(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = OrbitCommand.commandLine(Map.of("ORBIT_HOME", home.toString()), Gateway::openDatabase)
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private DatabaseService sqlite(String file) {
        return DatabaseServiceFactory.open(new Backend.Sqlite(SqliteOptions.defaults(home.resolve(file))),
                OrbitSchema.SCHEMA);
    }

    private static DatabaseService mongo(MongoOptions options) {
        return DatabaseServiceFactory.open(new Backend.Mongo(options), OrbitSchema.SCHEMA);
    }

    private static String url(MongoOptions options) {
        return MONGO.uri().replaceFirst("/?(\\?.*)?$", "") + "/" + options.database()
                + MONGO.uri().replaceFirst("^[^?]*", "");
    }

    /** Two users, a prompt and three chat messages. */
    private static void fill(DatabaseService db) {
        db.insertMany(OrbitSchema.USERS, List.of(user("alice"), user("bob")));
        db.insertOne(OrbitSchema.SYSTEM_PROMPTS, Document.of("name", "p", "prompt", "Be brief.", "version", "1.0",
                "created_at", T, "updated_at", T));
        for (int i = 0; i < 3; i++) {
            db.insertOne(OrbitSchema.CHAT_HISTORY, Document.of("session_id", "s", "role", "user", "content", "m" + i,
                    "timestamp", T.plusSeconds(i), "message_hash", "h" + i, "metadata", Map.of("at", T, "n", (long) i)));
        }
    }

    private static Document user(String name) {
        return Document.of("username", name, "password", "hash", "role", "user", "active", true, "created_at", T);
    }

    private static Map<String, List<Document>> dump(DatabaseService db) {
        Map<String, List<Document>> all = new LinkedHashMap<>();
        for (var spec : db.schema().collections()) {
            List<Document> documents = new ArrayList<>();
            db.scan(spec.name(), 50, documents::addAll);
            documents.sort(Comparator.comparing(Document::id));
            all.put(spec.name(), documents);
        }
        return all;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    // --- status ------------------------------------------------------------------------------------------------

    @Test
    void statusShowsBackendLocationSchemaVersionAndOneCountPerCollection() {
        try (DatabaseService db = sqlite("orbit.db")) {
            fill(db);
        }

        Run run = orbit("db", "status", "--db", "sqlite:orbit.db");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("""
                backend: sqlite
                location: %s
                schema version: %d
                users 2
                sessions 0
                api_keys 0
                system_prompts 1
                chat_history 3
                chat_sessions 0
                audit_admin_logs 0
                audit_logs 0
                usage_rollups 0
                """.formatted(home.resolve("orbit.db"), SqliteFiles.latestSchemaVersion()));
    }

    @Test
    void statusWithoutDbShowsTheConfiguredDatabase() throws Exception {
        try (DatabaseService db = sqlite("data/gateway.db")) {
            fill(db);
        }
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/config.yaml"),
                "internal_services: {backend: {type: sqlite, sqlite: {database_path: data/gateway.db}}}\n");
        Path other = Files.writeString(home.resolve("other.yaml"), "internal_services: {backend: {type: sqlite}}\n");

        Run configured = orbit("db", "status");
        Run viaConfigOption = orbit("db", "status", "--config", other.toString());

        assertThat(configured.out()).contains("location: " + home.resolve("data/gateway.db") + "\n", "users 2\n");
        assertThat(viaConfigOption.status()).isEqualTo(1);
        assertThat(viaConfigOption.err()).isEqualTo("orbit: no SQLite database at " + home.resolve("orbit.db") + "\n");
    }

    @Test
    void statusOfAnOlderSqliteFileSaysItWasUpgradedWhenOpened() throws Exception {
        Files.createFile(home.resolve("old.db")); // an empty file is a database of schema version 0

        Run run = orbit("db", "status", "--db", "sqlite:old.db");

        assertThat(run.out()).contains("schema version: " + SqliteFiles.latestSchemaVersion()
                + " (upgraded from 0 when opened now)\n");
    }

    @Test
    void statusOfMongoDbNamesTheDatabaseAndHasNoSchemaVersion() {
        MongoOptions options = MONGO.newDatabase();
        try (DatabaseService db = mongo(options)) {
            fill(db);
        }

        Run run = orbit("db", "status", "--db", url(options));

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("backend: mongodb\nlocation: " + url(options) + "\nschema version: n/a")
                .endsWith("users 2\nsessions 0\napi_keys 0\nsystem_prompts 1\nchat_history 3\nchat_sessions 0\n"
                        + "audit_admin_logs 0\naudit_logs 0\nusage_rollups 0\n");
    }

    // --- refusals ------------------------------------------------------------------------------------------------

    @Test
    void aBadUrlIsOneLineWithExitStatusOneAndNoPassword() {
        Run run = orbit("db", "status", "--db", "mysql://root:hunter22@db/orbit");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("orbit: unrecognized database URL 'mysql://root:****@db/orbit': expected"
                + " sqlite:PATH, mongodb://[USER:PASSWORD@]HOST[:PORT][/DATABASE], mongodb+srv://... or export:DIR\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anUnreachableMongoDbFailsFastNamingHostAndPortAndNeverThePassword() throws Exception {
        int port = freePort();
        try (DatabaseService db = sqlite("orbit.db")) {
            fill(db);
        }
        String target = "mongodb://orbit:hunter22@127.0.0.1:" + port + "/orbit?serverSelectionTimeoutMS=300";

        long started = System.nanoTime();
        Run status = orbit("db", "status", "--db", target);
        Run migrate = orbit("db", "migrate", "--from", "sqlite:orbit.db", "--to", target);
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(elapsedMillis).isLessThan(5_000);
        String masked = "mongodb://orbit:****@127.0.0.1:" + port + "/orbit?serverSelectionTimeoutMS=300";
        for (Run run : List.of(status, migrate)) {
            assertThat(run.status()).isEqualTo(1);
            assertThat(run.err()).startsWith("orbit: cannot open " + masked + ": cannot reach MongoDB at 127.0.0.1:"
                    + port + " within 300 ms").endsWith("\n").hasLineCount(1);
            assertThat(run.out() + run.err()).doesNotContain("hunter22");
        }
    }

    @Test
    void migrateRefusesANonEmptyTargetUnlessForcedAndForceWithResumeIsAUsageError() {
        try (DatabaseService source = sqlite("orbit.db"); DatabaseService target = sqlite("target.db")) {
            fill(source);
            target.insertOne(OrbitSchema.USERS, user("mallory"));
        }

        Run refused = orbit("db", "migrate", "--from", "sqlite:orbit.db", "--to", "sqlite:target.db");
        Run both = orbit("db", "migrate", "--from", "sqlite:orbit.db", "--to", "sqlite:target.db", "--force", "--resume");
        Run forced = orbit("db", "migrate", "--from", "sqlite:orbit.db", "--to", "sqlite:target.db", "--force");

        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("orbit: the target sqlite:" + home.resolve("target.db") + " is not empty"
                + " (users 1): use --force to replace its contents, or --resume to continue an interrupted copy\n");
        assertThat(both.status()).isEqualTo(2);
        assertThat(both.err()).startsWith("--force and --resume exclude each other");
        assertThat(forced.status()).as(forced.err()).isZero();
        try (DatabaseService source = sqlite("orbit.db"); DatabaseService target = sqlite("target.db")) {
            assertThat(dump(target)).isEqualTo(dump(source));
        }
    }

    @Test
    void migrateRefusesToCopyADatabaseOntoItselfOrFromAFileThatDoesNotExist() {
        try (DatabaseService db = sqlite("orbit.db")) {
            fill(db);
        }

        Run itself = orbit("db", "migrate", "--from", "sqlite:orbit.db", "--to", "sqlite:./sub/../orbit.db");
        Run missing = orbit("db", "migrate", "--from", "sqlite:nothing.db", "--to", "sqlite:copy.db");

        assertThat(itself.err()).isEqualTo("orbit: source and target are the same database: sqlite:"
                + home.resolve("orbit.db") + "\n");
        assertThat(missing.err()).isEqualTo("orbit: no SQLite database at " + home.resolve("nothing.db") + "\n");
        assertThat(home.resolve("nothing.db")).doesNotExist();
        assertThat(home.resolve("copy.db")).doesNotExist();
    }

    @Test
    void forceRefusesToEmptyAMongoDbThatIsTheSourceUnderAnotherHostName() {
        MongoOptions options = MONGO.newDatabase();
        Map<String, List<Document>> before;
        try (DatabaseService db = mongo(options)) {
            fill(db);
            before = dump(db);
        }
        String source = url(options);
        String alias = source.contains("127.0.0.1") ? source.replace("127.0.0.1", "localhost")
                : source.replace("localhost", "127.0.0.1");

        Run run = orbit("db", "migrate", "--from", source, "--to", alias, "--force");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).endsWith(" under another name: refusing to empty it\n");
        try (DatabaseService db = mongo(options)) {
            assertThat(dump(db)).isEqualTo(before);
        }
    }

    // --- migrate and backup ------------------------------------------------------------------------------------------

    @Test
    void resumeAfterAPartialCopyCopiesOnlyWhatIsMissingAndSaysSo() {
        try (DatabaseService db = sqlite("orbit.db")) {
            fill(db);
        }
        assertThat(orbit("db", "migrate", "--from", "sqlite:orbit.db", "--to", "sqlite:copy.db").status()).isZero();
        try (DatabaseService copy = sqlite("copy.db")) {
            copy.deleteMany(OrbitSchema.CHAT_HISTORY, Filters.ne("content", "m1"));
        }

        Run again = orbit("db", "migrate", "--from", "sqlite:orbit.db", "--to", "sqlite:copy.db");
        Run resumed = orbit("db", "migrate", "--from", "sqlite:orbit.db", "--to", "sqlite:copy.db", "--resume",
                "--batch-size", "2");

        assertThat(again.status()).isEqualTo(1);
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("users 2 (0 copied, 2 already there)\n",
                "chat_history 3 (2 copied, 1 already there)\n", "verified: every collection of sqlite:");
        assertThat(resumed.err()).contains("chat_history 3/3 (1 already there)\n");
        try (DatabaseService source = sqlite("orbit.db"); DatabaseService copy = sqlite("copy.db")) {
            assertThat(dump(copy)).isEqualTo(dump(source));
        }
    }

    @Test
    void migrateFromDefaultsToTheConfiguredDatabase() throws Exception {
        try (DatabaseService db = sqlite("orbit.db")) {
            fill(db);
        }
        Path config = Files.writeString(home.resolve("config.yaml"), "internal_services: {backend: {type: sqlite}}\n");

        Run run = orbit("db", "migrate", "--config", config.toString(), "--to", "sqlite:copy.db");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).endsWith("holds as many documents as sqlite:" + home.resolve("orbit.db") + "\n");
    }

    @Test
    void aMongoDbBackupIsAnExportThatMigrateReadsBackIntoSqlite() {
        MongoOptions options = MONGO.newDatabase();
        Map<String, List<Document>> original;
        try (DatabaseService db = mongo(options)) {
            fill(db);
            db.insertOne(OrbitSchema.USERS, user("carol").put("_id", IdUtils.newUuid())); // a string id among ObjectIds
            original = dump(db);
        }
        Path export = home.resolve("backups/monday");

        Run backup = orbit("db", "backup", "--db", url(options), "--to", export.toString());
        Run restore = orbit("db", "migrate", "--from", "export:backups/monday", "--to", "sqlite:restored.db");

        assertThat(backup.status()).as(backup.err()).isZero();
        assertThat(backup.out()).isEqualTo("users 3\nsessions 0\napi_keys 0\nsystem_prompts 1\nchat_history 3\n"
                + "chat_sessions 0\naudit_admin_logs 0\naudit_logs 0\nusage_rollups 0\nexported " + url(options)
                + " to export:" + export + " (9 collections, 7 documents)\n");
        assertThat(backup.err()).contains("users 3/3\n");
        assertThat(export.resolve("manifest.json")).exists();
        assertThat(restore.status()).as(restore.err()).isZero();
        try (DatabaseService restored = sqlite("restored.db")) {
            assertThat(dump(restored)).isEqualTo(original);
        }
    }

    @Test
    void mongoDbMigratesToAnotherMongoDbAndAnExportIntoMongoDbWithIdsOfBothKinds() {
        MongoOptions first = MONGO.newDatabase();
        MongoOptions second = MONGO.newDatabase();
        MongoOptions third = MONGO.newDatabase();
        Map<String, List<Document>> original;
        try (DatabaseService db = mongo(first)) {
            fill(db);
            db.insertOne(OrbitSchema.USERS, user("carol").put("_id", IdUtils.newUuid()));
            original = dump(db);
        }

        Run copy = orbit("db", "migrate", "--from", url(first), "--to", url(second));
        Run backup = orbit("db", "backup", "--db", url(second), "--to", home.resolve("exp").toString());
        Run restore = orbit("db", "migrate", "--from", "export:exp", "--to", url(third));

        assertThat(List.of(copy.status(), backup.status(), restore.status())).as(copy.err() + backup.err() + restore.err())
                .containsOnly(0);
        for (MongoOptions options : List.of(second, third)) {
            try (DatabaseService db = mongo(options)) {
                assertThat(dump(db)).isEqualTo(original);
                assertThat(db.findOne(OrbitSchema.USERS, Filters.eq("username", "alice")).orElseThrow().id())
                        .matches("[0-9a-f]{24}");
            }
        }
    }

    @Test
    void aSqliteBackupCanBeAnExportToo() {
        try (DatabaseService db = sqlite("orbit.db")) {
            fill(db);
        }

        Run run = orbit("db", "backup", "--db", "sqlite:orbit.db", "--export", "--to", home.resolve("exp").toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(home.resolve("exp/chat_history.jsonl")).content().hasLineCount(3);
    }

    @Test
    void dbWithoutASubcommandIsAUsageErrorAndHelpListsIt() {
        Run bare = orbit("db");
        Run help = orbit("--help");

        assertThat(bare.status()).isEqualTo(2);
        assertThat(bare.err()).startsWith("Missing subcommand: orbit db status, backup or migrate");
        assertThat(help.out()).contains("db");
    }
}
