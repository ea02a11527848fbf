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
import dev.orbit.db.postgres.PostgresDatabaseService;
import dev.orbit.db.postgres.PostgresOptions;
import dev.orbit.db.postgres.PostgresTestServer;
import dev.orbit.db.mongo.MongoTestServer;
import dev.orbit.db.sqlite.SqliteFiles;
import dev.orbit.db.sqlite.SqliteOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
                feedback 0
                conversation_threads 0
                user_blacklist 0
                system_state 0
                audit_admin_logs 0
                audit_logs 0
                usage_rollups 0
                rate_counters 0
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
                        + "feedback 0\nconversation_threads 0\nuser_blacklist 0\nsystem_state 0\naudit_admin_logs 0\naudit_logs 0\nusage_rollups 0\nrate_counters 0\n");
    }

    @Test
    void statusOfPostgresNamesTheDatabaseAndSaysItsSchemaWasUpgradedWhenNew() {
        PostgresOptions options = PostgresTestServer.newEmptyDatabase();
        try {
            Run run = orbit("db", "status", "--db", PostgresTestServer.url(options));

            assertThat(run.status()).as(run.err()).isZero();
            assertThat(run.out()).startsWith("backend: postgres\nlocation: " + PostgresTestServer.url(options)
                    + "\nschema version: " + PostgresDatabaseService.latestSchemaVersion()
                    + " (upgraded from 0 when opened now)\n")
                    .endsWith("chat_history 0\nchat_sessions 0\nfeedback 0\nconversation_threads 0\nuser_blacklist 0\nsystem_state 0\naudit_admin_logs 0\n"
                            + "audit_logs 0\nusage_rollups 0\nrate_counters 0\n");
        } finally {
            PostgresTestServer.drop(options);
        }
    }

    // --- refusals ------------------------------------------------------------------------------------------------

    @Test
    void aBadUrlIsOneLineWithExitStatusOneAndNoPassword() {
        Run run = orbit("db", "status", "--db", "mysql://root:hunter22@db/orbit");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("orbit: unrecognized database URL 'mysql://root:****@db/orbit': expected"
                + " sqlite:PATH, mongodb://[USER:PASSWORD@]HOST[:PORT][/DATABASE], mongodb+srv://...,"
                + " postgresql://[USER:PASSWORD@]HOST[:PORT][/DATABASE][?sslmode=...] or export:DIR\n");
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
        assertThat(both.status()).isEqualTo(1);
        assertThat(both.err()).startsWith("orbit: --force and --resume exclude each other").hasLineCount(1);
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
                + "chat_sessions 0\nfeedback 0\nconversation_threads 0\nuser_blacklist 0\nsystem_state 0\naudit_admin_logs 0\naudit_logs 0\nusage_rollups 0\nrate_counters 0\n"
                + "exported " + url(options) + " to export:" + export + " (14 collections, 7 documents)\n");
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

    private Path special(String name, String... command) throws Exception {
        Path file = home.resolve(name);
        List<String> args = new ArrayList<>(List.of(command));
        args.add(1, file.toString());
        assertThat(new ProcessBuilder(args).inheritIO().start().waitFor()).as(args.toString()).isZero();
        return file;
    }

    private static String type(Path file) throws Exception {
        return Integer.toOctalString((Integer) Files.getAttribute(file, "unix:mode") & 0170000);
    }

    @Test
    void aTargetOrDatabaseThatIsNotARegularFileIsRefusedEvenWithForceAndLeftAsItIs() throws Exception {
        try (DatabaseService db = sqlite("orbit.db")) {
            fill(db);
        }
        Path fifo = special("pipe", "mkfifo");
        // A device node of its own (as /dev/null, major 1 minor 3), so no test ever touches the real /dev/null.
        Path device = "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).strip())
                ? special("null", "mknod", "c", "1", "3") : null;
        String refusal = " is a FIFO, not a regular file: refusing to use it as a SQLite database file";

        Run forced = orbit("db", "backup", "--db", "sqlite:orbit.db", "--to", fifo.toString(), "--force");
        Run unforced = orbit("db", "backup", "--db", "sqlite:orbit.db", "--to", fifo.toString());
        Run migrate = orbit("db", "migrate", "--from", "sqlite:orbit.db", "--to", "sqlite:pipe");
        Run status = orbit("db", "status", "--db", "sqlite:pipe");

        assertThat(forced.err()).isEqualTo("orbit: " + fifo + refusal + "\n");
        assertThat(unforced.err()).isEqualTo("orbit: " + fifo + refusal + "\n");
        assertThat(migrate.err()).isEqualTo("orbit: cannot open sqlite:" + fifo + ": " + fifo + refusal + "\n");
        assertThat(status.err()).isEqualTo("orbit: " + fifo + refusal + "\n");
        for (Run run : List.of(forced, unforced, migrate, status)) {
            assertThat(run.status()).isEqualTo(1);
        }
        assertThat(type(fifo)).isEqualTo("10000");
        if (device != null) {
            Run toDevice = orbit("db", "backup", "--db", "sqlite:orbit.db", "--to", device.toString(), "--force");
            Run migrateToDevice = orbit("db", "migrate", "--from", "sqlite:orbit.db", "--to", "sqlite:null");
            assertThat(toDevice.err()).isEqualTo("orbit: " + device + " is a character device, not a regular file:"
                    + " refusing to use it as a SQLite database file\n");
            assertThat(migrateToDevice.err()).endsWith(device + " is a character device, not a regular file:"
                    + " refusing to use it as a SQLite database file\n");
            assertThat(type(device)).isEqualTo("20000");
        }
    }

    @Test
    void aJournalOrWalBesideTheDatabaseThatIsNotARegularFileIsRefusedToo() throws Exception {
        try (DatabaseService db = sqlite("orbit.db")) {
            fill(db);
        }
        Path journal = special("orbit.db-journal", "mkfifo");
        Path wal = special("copy.db-wal", "mkfifo");

        Run status = orbit("db", "status", "--db", "sqlite:orbit.db");
        Run backup = orbit("db", "backup", "--db", "sqlite:orbit.db", "--to", home.resolve("copy.db").toString());
        Files.delete(journal);
        Run migrate = orbit("db", "migrate", "--from", "sqlite:orbit.db", "--to", "sqlite:copy.db");

        assertThat(status.err()).isEqualTo("orbit: " + journal + " is a FIFO, not a regular file: refusing to use it"
                + " as a SQLite database file\n");
        assertThat(backup.err()).contains(journal + " is a FIFO").hasLineCount(1);
        assertThat(migrate.err()).contains(wal + " is a FIFO").hasLineCount(1);
        assertThat(home.resolve("copy.db")).doesNotExist();
        assertThat(type(journal.resolveSibling("copy.db-wal"))).isEqualTo("10000");
    }

    @Test
    void anotherApplicationsSqliteFileIsRefusedUnchangedUnlessAllowed() throws Exception {
        Path file = home.resolve("app.db");
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); var s = c.createStatement()) {
            s.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
            s.execute("INSERT INTO notes (body) VALUES ('keep me')");
        }
        byte[] before = Files.readAllBytes(file);
        String refusal = file + " is not an ORBIT database (it holds notes, not ORBIT's users, sessions, api_keys,"
                + " system_prompts, chat_history): refusing to add ORBIT's tables to it; check the path, or pass"
                + " --allow-foreign-database if it is meant";
        try (DatabaseService db = sqlite("orbit.db")) {
            fill(db);
        }

        Run status = orbit("db", "status", "--db", "sqlite:app.db");
        Run migrateTo = orbit("db", "migrate", "--from", "sqlite:orbit.db", "--to", "sqlite:app.db");
        Run migrateFrom = orbit("db", "migrate", "--from", "sqlite:app.db", "--to", "sqlite:copy.db");

        assertThat(status.err()).isEqualTo("orbit: cannot open sqlite:" + file + ": " + refusal + "\n");
        assertThat(migrateTo.err()).isEqualTo("orbit: cannot open sqlite:" + file + ": " + refusal + "\n");
        assertThat(migrateFrom.err()).isEqualTo("orbit: cannot open sqlite:" + file + ": " + refusal + "\n");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(home.resolve("copy.db")).doesNotExist();

        Run allowed = orbit("db", "status", "--db", "sqlite:app.db", "--allow-foreign-database");
        assertThat(allowed.status()).as(allowed.err()).isZero();
        assertThat(allowed.out()).contains("users 0\n");
    }

    @Test
    void migrateRefusesToLeaveAReferenceDatabasesOtherTablesBehindUnlessSkipUnknown() throws Exception {
        try (DatabaseService db = sqlite("orbit.db")) {
            fill(db);
        }
        // Tables the reference ORBIT keeps beside the five this one serves.
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + home.resolve("orbit.db"));
             var s = c.createStatement()) {
            s.execute("CREATE TABLE uploaded_files (id TEXT PRIMARY KEY, api_key TEXT NOT NULL, filename TEXT NOT NULL,"
                    + " upload_timestamp TEXT NOT NULL)");
            s.execute("INSERT INTO uploaded_files VALUES ('f-1', 'k', 'notes.pdf', '2026-01-02T03:04:05+00:00')");
            s.execute("CREATE TABLE file_chunks (id TEXT PRIMARY KEY, file_id TEXT NOT NULL, content TEXT NOT NULL)");
        }
        String source = "sqlite:" + home.resolve("orbit.db");

        Run refused = orbit("db", "migrate", "--from", "sqlite:orbit.db", "--to", "sqlite:copy.db");
        Run export = orbit("db", "migrate", "--from", "sqlite:orbit.db", "--to", url(MONGO.newDatabase()));
        Run skipping = orbit("db", "migrate", "--from", "sqlite:orbit.db", "--to", "sqlite:copy.db", "--skip-unknown");

        String refusal = "orbit: " + source + " holds collections this ORBIT does not carry (file_chunks, uploaded_files): the"
                + " copy would leave them behind; pass --skip-unknown to migrate without them\n";
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo(refusal);
        assertThat(export.err()).isEqualTo(refusal);
        assertThat(skipping.status()).as(skipping.err()).isZero();
        assertThat(skipping.out()).contains("users 2 (2 copied)\n", "left behind (--skip-unknown): file_chunks, uploaded_files\n",
                "verified: ");
        try (DatabaseService copy = sqlite("copy.db"); DatabaseService original = sqlite("orbit.db")) {
            assertThat(dump(copy)).isEqualTo(dump(original));
        }

        // An export carries ORBIT's collections only: the same refusal; a file backup copies every table.
        Run exported = orbit("db", "backup", "--db", "sqlite:orbit.db", "--export", "--to", home.resolve("exp").toString());
        assertThat(home.resolve("exp")).doesNotExist();
        Run exportedSkipping = orbit("db", "backup", "--db", "sqlite:orbit.db", "--export", "--skip-unknown", "--to",
                home.resolve("exp").toString());
        Run file = orbit("db", "backup", "--db", "sqlite:orbit.db", "--to", home.resolve("b.db").toString());

        assertThat(exported.err()).isEqualTo("orbit: " + source + " holds collections this ORBIT does not carry"
                + " (file_chunks, uploaded_files): an export would leave them behind; pass --skip-unknown, or back up the file"
                + " without --export (that copies every table)\n");
        assertThat(exportedSkipping.out()).contains("left behind (--skip-unknown): file_chunks, uploaded_files\n");
        assertThat(file.status()).as(file.err()).isZero();
        assertThat(SqliteFiles.tables(home.resolve("b.db"))).contains("file_chunks", "uploaded_files");
    }

    @Test
    void aMongoDbSourceWithCollectionsThisOrbitDoesNotCarryIsRefusedUnlessSkipUnknown() {
        MongoOptions options = MONGO.newDatabase();
        try (DatabaseService db = mongo(options)) {
            fill(db);
        }
        try (var client = com.mongodb.client.MongoClients.create(url(options))) {
            client.getDatabase(options.database()).getCollection("uploaded_files")
                    .insertOne(new org.bson.Document("filename", "notes.pdf").append("api_key", "k"));
        }

        Run migrate = orbit("db", "migrate", "--from", url(options), "--to", "sqlite:copy.db");
        Run export = orbit("db", "backup", "--db", url(options), "--to", home.resolve("exp").toString());
        Run skipping = orbit("db", "migrate", "--from", url(options), "--to", "sqlite:copy.db", "--skip-unknown");

        assertThat(migrate.err()).isEqualTo("orbit: " + url(options) + " holds collections this ORBIT does not carry"
                + " (uploaded_files): the copy would leave them behind; pass --skip-unknown to migrate without them\n");
        assertThat(export.err()).isEqualTo("orbit: " + url(options) + " holds collections this ORBIT does not carry"
                + " (uploaded_files): an export would leave them behind; pass --skip-unknown\n");
        assertThat(skipping.status()).as(skipping.err()).isZero();
        assertThat(skipping.out()).contains("left behind (--skip-unknown): uploaded_files\n");
    }

    @Test
    void anExportIsReadableOnlyByItsOwnerLikeTheDatabase() throws Exception {
        try (DatabaseService db = sqlite("orbit.db")) {
            fill(db);
        }
        MongoOptions options = MONGO.newDatabase();
        try (DatabaseService db = mongo(options)) {
            fill(db);
        }

        Run fromSqlite = orbit("db", "backup", "--db", "sqlite:orbit.db", "--export", "--to", home.resolve("a").toString());
        Run fromMongo = orbit("db", "backup", "--db", url(options), "--to", home.resolve("b/c").toString());

        assertThat(fromSqlite.status()).as(fromSqlite.err()).isZero();
        assertThat(fromMongo.status()).as(fromMongo.err()).isZero();
        for (Path export : List.of(home.resolve("a"), home.resolve("b"), home.resolve("b/c"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(export))).as(export.toString())
                    .isEqualTo("rwx------");
        }
        for (Path export : List.of(home.resolve("a"), home.resolve("b/c"))) {
            try (var files = Files.list(export)) {
                for (Path file : files.toList()) {
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
                            .isEqualTo("rw-------");
                }
            }
        }
    }

    @Test
    void dbWithoutASubcommandIsAUsageErrorAndHelpListsIt() {
        Run bare = orbit("db");
        Run help = orbit("--help");

        assertThat(bare.status()).isEqualTo(1);
        assertThat(bare.err()).isEqualTo("orbit: missing subcommand: orbit db status, backup or migrate"
                + " (see 'orbit db --help')\n");
        assertThat(help.out()).contains("db");
    }
}
