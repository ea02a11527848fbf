package dev.orbit.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.OrbitSchema;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportFormatTest {
    private static final Instant T = Instant.parse("2026-03-01T10:00:00.123Z");
    private static final Clock CLOCK = Clock.fixed(T, ZoneOffset.UTC);

    @TempDir
    Path home;

    private static String line(Document document) throws Exception {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = ExportFormat.JSON.getFactory().createGenerator(out)) {
            ExportFormat.write(json, document);
        }
        return out.toString();
    }

    private static Document parse(String line) throws Exception {
        return ExportFormat.read(ExportFormat.JSON.readTree(line));
    }

    @Test
    void aDocumentIsOneJsonObjectWithInstantsTaggedAsDates() throws Exception {
        Document message = Document.of("_id", "65f1c0ffee0000000000abcd", "session_id", "s-1", "timestamp", T,
                "token_count", 12L, "metadata", Map.of("ratio", 1.0));

        assertThat(line(message)).isEqualTo("{\"_id\":\"65f1c0ffee0000000000abcd\",\"session_id\":\"s-1\","
                + "\"timestamp\":{\"$date\":\"2026-03-01T10:00:00.123Z\"},\"token_count\":12,\"metadata\":{\"ratio\":1.0}}");
    }

    @Test
    void everyValueTypeComesBackAsItWasAtAnyDepth() throws Exception {
        List<Object> mixed = new ArrayList<>(Arrays.asList("a", 1L, 2.5, true, null, T, List.of(Map.of("x", 0.0))));
        Document document = Document.of("_id", "u-1", "text", "quote \" backslash \\ newline \n tab \t é 日本 😀",
                "big", Long.MAX_VALUE, "small", Long.MIN_VALUE, "double", 0.1, "whole_double", 3.0, "huge", 1e300,
                "negative", -2.5, "yes", true, "no", false, "at", Instant.parse("0001-01-01T00:00:00Z"),
                "nested", Map.of("at", T, "list", mixed, "empty", Map.of(), "none", List.of()));

        String text = line(document);
        Document back = parse(text);

        assertThat(text).doesNotContain("\n");
        assertThat(back).isEqualTo(document);
        assertThat(back.get("whole_double")).isInstanceOf(Double.class);
        assertThat(back.get("big")).isInstanceOf(Long.class);
        assertThat(back.getMap("nested").get("at")).isEqualTo(T);
    }

    @Test
    void aLineThatIsNoDocumentIsRefusedWithTheReason() {
        assertThatThrownBy(() -> parse("[1, 2]")).hasMessage("expected a JSON object");
        assertThatThrownBy(() -> parse("{\"n\": 123456789012345678901234567890}"))
                .hasMessage("n: integer out of the 64-bit range");
        assertThatThrownBy(() -> parse("{\"t\": {\"$date\": \"yesterday\"}}"))
                .hasMessage("t: $date 'yesterday' is not an ISO-8601 instant");
    }

    /** A SQLite database with a few documents in two collections, exported to {@code home/export}. */
    private Path exported(boolean force) {
        try (DatabaseService db = AdminTests.open("sqlite:orbit.db", home)) {
            if (db.count(OrbitSchema.SYSTEM_PROMPTS, dev.orbit.db.Filters.all()) == 0) {
                db.insertMany(OrbitSchema.SYSTEM_PROMPTS, List.of(
                        Document.of("name", "a", "prompt", "first\nline", "version", "1", "created_at", T, "updated_at", T),
                        Document.of("name", "b", "prompt", "second", "version", "2", "created_at", T, "updated_at", T)));
                db.insertOne(OrbitSchema.USERS, Document.of("username", "alice", "password", "pbkdf2$x", "role", "user",
                        "roles", List.of("user"), "active", true, "created_at", T));
            }
            ExportWriter.write(db, "sqlite:orbit.db", home.resolve("export"), force, 1, Progress.NONE, CLOCK);
        }
        return home.resolve("export");
    }

    @Test
    void anExportHoldsAManifestAndOneLinePerDocumentAndReadsBackTheSameDocuments() throws Exception {
        Path export = exported(false);
        Map<String, List<Document>> database = AdminTests.dump("sqlite:orbit.db", home);

        assertThat(ExportFormat.JSON.readTree(export.resolve("manifest.json").toFile()).toString()).isEqualTo(
                "{\"format\":\"orbit-export\",\"version\":1,\"created_at\":\"2026-03-01T10:00:00.123Z\","
                        + "\"source\":\"sqlite:orbit.db\",\"collections\":["
                        + "{\"name\":\"users\",\"file\":\"users.jsonl\",\"documents\":1},"
                        + "{\"name\":\"sessions\",\"file\":\"sessions.jsonl\",\"documents\":0},"
                        + "{\"name\":\"api_keys\",\"file\":\"api_keys.jsonl\",\"documents\":0},"
                        + "{\"name\":\"system_prompts\",\"file\":\"system_prompts.jsonl\",\"documents\":2},"
                        + "{\"name\":\"chat_history\",\"file\":\"chat_history.jsonl\",\"documents\":0},"
                        + "{\"name\":\"chat_sessions\",\"file\":\"chat_sessions.jsonl\",\"documents\":0},"
                        + "{\"name\":\"feedback\",\"file\":\"feedback.jsonl\",\"documents\":0},"
                        + "{\"name\":\"conversation_threads\",\"file\":\"conversation_threads.jsonl\","
                        + "\"documents\":0},"
                        + "{\"name\":\"user_blacklist\",\"file\":\"user_blacklist.jsonl\",\"documents\":0},"
                        + "{\"name\":\"system_state\",\"file\":\"system_state.jsonl\",\"documents\":0},"
                        + "{\"name\":\"audit_admin_logs\",\"file\":\"audit_admin_logs.jsonl\",\"documents\":0},"
                        + "{\"name\":\"audit_logs\",\"file\":\"audit_logs.jsonl\",\"documents\":0},"
                        + "{\"name\":\"usage_rollups\",\"file\":\"usage_rollups.jsonl\",\"documents\":0},"
                        + "{\"name\":\"rate_counters\",\"file\":\"rate_counters.jsonl\",\"documents\":0}]}");
        assertThat(Files.readAllLines(export.resolve("system_prompts.jsonl"))).hasSize(2);
        try (ExportReader reader = ExportReader.open(export)) {
            assertThat(reader.collections()).containsExactly("users", "sessions", "api_keys", "system_prompts",
                    "chat_history", "chat_sessions", "feedback", "conversation_threads", "user_blacklist",
                    "system_state", "audit_admin_logs", "audit_logs", "usage_rollups", "rate_counters");
            for (String collection : reader.collections()) {
                List<Document> documents = new ArrayList<>();
                assertThat(reader.scan(collection, 1, documents::addAll)).isEqualTo(reader.count(collection));
                assertThat(documents).as(collection).isEqualTo(database.get(collection));
            }
        }
        try (var files = Files.list(home)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".partial-"));
        }
    }

    @Test
    void aTruncatedExportIsRefusedBeforeAnythingIsRead() throws Exception {
        Path export = exported(false);
        Path prompts = export.resolve("system_prompts.jsonl");
        Files.write(prompts, Files.readAllLines(prompts).subList(0, 1));

        assertThatThrownBy(() -> ExportReader.open(export)).isInstanceOf(AdminException.class)
                .hasMessage("export:" + export + ": system_prompts.jsonl holds 1 documents, but the manifest says 2:"
                        + " the export is damaged");
    }

    @Test
    void anExportWithoutManifestIsIncompleteAndANewerFormatIsRefused() throws Exception {
        Path export = exported(false);
        String manifest = Files.readString(export.resolve("manifest.json"));
        Files.delete(export.resolve("manifest.json"));
        assertThatThrownBy(() -> ExportReader.open(export))
                .hasMessage("export:" + export + ": no manifest.json, so not a complete ORBIT export");

        Files.writeString(export.resolve("manifest.json"), manifest.replace("\"version\" : 1", "\"version\" : 2"));
        assertThatThrownBy(() -> ExportReader.open(export)).hasMessage("export:" + export
                + ": export format version 2, but this ORBIT reads versions up to 1: upgrade ORBIT to read it");
    }

    @Test
    void aDamagedLineIsReportedWithItsFileAndLineNumber() throws Exception {
        Path export = exported(false);
        Path prompts = export.resolve("system_prompts.jsonl");
        List<String> lines = Files.readAllLines(prompts);
        Files.write(prompts, List.of(lines.get(0), "{\"name\": \"b\", \"prompt\": "));

        try (ExportReader reader = ExportReader.open(export)) {
            assertThatThrownBy(() -> reader.scan(OrbitSchema.SYSTEM_PROMPTS, 10, batch -> { }))
                    .isInstanceOf(AdminException.class)
                    .hasMessageStartingWith("export:" + export + ": system_prompts.jsonl line 2: not JSON: ");
        }
    }

    @Test
    void anExistingExportIsReplacedOnlyWhenForcedAndNothingElseEvenThen() throws Exception {
        Path export = exported(false);
        assertThatThrownBy(() -> exported(false)).isInstanceOf(AdminException.class)
                .hasMessage("export:" + export + " already exists and is not empty: use --force to replace an earlier"
                        + " export there");

        Files.writeString(export.resolve("users.jsonl"), "");
        exported(true);
        assertThat(Files.readAllLines(export.resolve("users.jsonl"))).hasSize(1);

        Files.writeString(export.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> exported(true)).hasMessage("export:" + export
                + " holds files that are not an ORBIT export: refusing to replace it, even with --force");
        assertThat(export.resolve("notes.txt")).hasContent("mine");
    }
}
