package dev.orbit.admin;

import dev.orbit.Gateway;
import dev.orbit.cli.OrbitCommand;
import dev.orbit.db.CollectionSpec;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.DatabaseServiceFactory;
import dev.orbit.db.DatabaseServiceFactory.Backend;
import dev.orbit.db.Document;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.mongo.MongoTestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers shared by the administration tests: running {@code orbit}, naming test databases, dumping one. */
final class AdminTests {
    private AdminTests() {
    }

    /** What one {@code orbit} invocation printed, and its exit status. */
    record Run(int status, String out, String err) {
        /** Everything it printed, for checks that a secret appears nowhere. */
        String all() {
            return out + err;
        }
    }

    /** Runs {@code orbit ARGS} with {@code ORBIT_HOME=home} and the production database opener. */
    static Run orbit(Path home, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = OrbitCommand.commandLine(Map.of("ORBIT_HOME", home.toString()), Gateway::openDatabase)
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    /** A {@code mongodb://} URL of a new, empty database on the test server, dropped after the test. */
    static String mongoUrl(MongoTestServer server) {
        String database = server.newDatabase().database();
        String uri = server.uri();
        int query = uri.indexOf('?');
        String base = query < 0 ? uri : uri.substring(0, query);
        int path = base.indexOf('/', base.indexOf("://") + 3);
        if (path >= 0) {
            base = base.substring(0, path);
        }
        return base + "/" + database + (query < 0 ? "" : uri.substring(query));
    }

    static Backend backend(String url, Path home) {
        return ((DatabaseUrl.Database) DatabaseUrl.parse(url, home)).backend();
    }

    static DatabaseService open(String url, Path home) {
        return DatabaseServiceFactory.open(backend(url, home), OrbitSchema.SCHEMA);
    }

    /** Every document of every ORBIT collection, in id order per collection. */
    static Map<String, List<Document>> dump(DatabaseService db) {
        Map<String, List<Document>> all = new LinkedHashMap<>();
        for (CollectionSpec spec : db.schema().collections()) {
            List<Document> documents = new ArrayList<>();
            db.scan(spec.name(), 100, documents::addAll);
            documents.sort(java.util.Comparator.comparing(Document::id));
            all.put(spec.name(), documents);
        }
        return all;
    }

    static Map<String, List<Document>> dump(String url, Path home) {
        try (DatabaseService db = open(url, home)) {
            return dump(db);
        }
    }
}
