package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orbit.config.LoggingConfig;
import dev.orbit.config.LoggingConfig.Format;
import dev.orbit.config.LoggingConfig.Level;
import dev.orbit.observability.LogSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The rolling log file, its formats, the request id on every line of a request, and {@code /admin/logs/*}. Logging
 * is the process's, so each test sets it up and puts it back; the routes store nothing, so SQLite alone serves.
 */
class LogRoutesTest {
    private static final Logger LOG = LoggerFactory.getLogger("dev.orbit.test.filler");
    private static final long MB = 1024 * 1024;

    @TempDir
    Path dir;

    private LogSetup logging;
    private Orbit orbit;

    @AfterEach
    void restore() {
        if (orbit != null) {
            orbit.close();
        }
        if (logging != null) {
            logging.close();
        }
    }

    private Path logFile() {
        return dir.resolve("logs/orbit.log");
    }

    private Orbit gateway() {
        orbit = Orbit.start(TestBackend.SQLITE, dir, null, "");
        return orbit;
    }

    // Logback checks the size at most every 100 ms: write in pieces with pauses, as a live server does.
    private static void write(long bytes, String marker) throws InterruptedException {
        String line = marker + " " + "x".repeat(1000);
        for (long written = 0; written < bytes; written += line.length()) {
            LOG.warn(line);
            if (written % (256 * 1024) < line.length()) {
                Thread.sleep(150);
            }
        }
    }

    @Test
    void theLogRollsAtItsSizeKeepsItsCountAndTheRoutesListAndTailItWithoutASecret() throws Exception {
        logging = LogSetup.apply(new LoggingConfig(Optional.of(Level.INFO), Format.TEXT, true, logFile(), MB, 2),
                false);
        write(4 * MB + MB / 2, "filler");

        assertThat(logFile()).exists();
        assertThat(dir.resolve("logs/orbit.log.1")).exists();
        assertThat(dir.resolve("logs/orbit.log.2")).exists();
        assertThat(dir.resolve("logs/orbit.log.3")).doesNotExist();
        assertThat(Files.size(dir.resolve("logs/orbit.log.1"))).isLessThan(2 * MB);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(logFile()))).isEqualTo("rw-------");

        Orbit orbit = gateway();
        String admin = orbit.adminToken();
        String key = orbit.createKey(Orbit.ADAPTER);
        assertThat(orbit.get("/admin/api-keys/" + key + "/status").bearer(admin).header("X-Request-ID", "trace-me-42")
                .send().status()).isEqualTo(200);
        assertThat(orbit.post("/v1/chat").apiKey(key).session("s").header("X-Request-ID", "chat-req-7")
                .json(Map.of("messages", List.of(Map.of("role", "user", "content", "hi")))).send().status())
                .isEqualTo(200);
        LOG.warn("the last line");

        JsonNode files = orbit.get("/admin/logs/files").bearer(admin).send().json().get("files");
        assertThat(files).hasSize(3);
        assertThat(files.get(0).get("filename").textValue()).isEqualTo("orbit.log");
        assertThat(files.get(0).get("is_current").booleanValue()).isTrue();
        assertThat(files.get(1).get("filename").textValue()).isEqualTo("orbit.log.1");
        assertThat(files.get(1).get("size").longValue()).isPositive();
        assertThat(files.get(2).get("is_current").booleanValue()).isFalse();

        Reply tail = orbit.get("/admin/logs/tail?lines=10").bearer(admin).send();
        assertThat(tail.status()).isEqualTo(200);
        assertThat(tail.json().get("filename").textValue()).isEqualTo("orbit.log");
        List<String> lines = new ArrayList<>();
        tail.json().get("lines").forEach(l -> lines.add(l.textValue()));
        assertThat(lines).hasSize(10);
        assertThat(lines).anySatisfy(line -> assertThat(line).endsWith("- the last line")); // then the files request
        // Every line of a request names its id; the key in the path is masked, and no secret is anywhere.
        String text = Files.readString(logFile());
        assertThat(text).contains(" [trace-me-42] - GET /admin/api-keys/***" + key.substring(key.length() - 4)
                + "/status 200 ");
        assertThat(text).contains(" [chat-req-7] - POST /v1/chat 200 ");
        assertThat(text).doesNotContain(key).doesNotContain(Orbit.ADMIN_PASSWORD).doesNotContain(admin);

        Reply rolled = orbit.get("/admin/logs/tail?lines=10&file=orbit.log.2").bearer(admin).send();
        assertThat(rolled.json().get("lines").get(0).textValue()).contains("filler");
        assertThat(rolled.json().get("lines").get(0).textValue().length()).isLessThan(1200); // whole lines only
    }

    @Test
    void theTailRefusesPathsOtherThanTheListedNamesAndBoundsItsLines() throws Exception {
        logging = LogSetup.apply(new LoggingConfig(Optional.empty(), Format.TEXT, true, logFile(), MB, 2), false);
        Files.writeString(dir.resolve("secret.txt"), "not a log");
        LOG.warn("one line");
        Orbit orbit = gateway();
        String admin = orbit.adminToken();
        for (String name : List.of("../secret.txt", "..%2Fsecret.txt", "/etc/passwd", "orbit.log.3", "orbit.log.1",
                "secret.txt", "orbit.log%00", "logs/orbit.log")) {
            Reply reply = orbit.get("/admin/logs/tail?file=" + name).bearer(admin).send();
            assertThat(reply.status()).as(name).isEqualTo(404);
            assertThat(reply.body()).doesNotContain("not a log");
        }
        for (String lines : List.of("9", "501", "-1", "abc", "99999999999999999999")) {
            assertThat(orbit.get("/admin/logs/tail?lines=" + lines).bearer(admin).send().status()).as(lines)
                    .isEqualTo(422);
        }
        assertThat(orbit.get("/admin/logs/tail?lines=500").bearer(admin).send().status()).isEqualTo(200);
        assertThat(orbit.get("/admin/logs/tail").send().status()).isEqualTo(401);
        assertThat(orbit.get("/admin/logs/files").bearer(orbit.userWithRoles("plain", "user")).send().status())
                .isEqualTo(403);
        assertThat(orbit.get("/admin/logs/files").bearer(orbit.userWithRoles("watcher", "auditor")).send().status())
                .isEqualTo(200);
    }

    @Test
    void withoutALogFileTheTailIs404AndTheListEmpty() {
        Orbit orbit = gateway();
        String admin = orbit.adminToken();
        Reply tail = orbit.get("/admin/logs/tail").bearer(admin).send();
        assertThat(tail.status()).isEqualTo(404);
        assertThat(tail.detail()).isEqualTo("No log files found");
        assertThat(orbit.get("/admin/logs/files").bearer(admin).send().json().get("files")).isEmpty();
    }

    @Test
    void jsonFormatWritesOneObjectPerLineWithTheRequestId() throws Exception {
        logging = LogSetup.apply(new LoggingConfig(Optional.empty(), Format.JSON, true, logFile(), MB, 2), false);
        MDC.put("request_id", "json-req-1");
        try {
            LOG.warn("quoted \"text\" and a newline\nin one event");
        } finally {
            MDC.remove("request_id");
        }
        LOG.warn("outside any request");
        List<String> lines = Files.readAllLines(logFile());
        assertThat(lines).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        assertThat(first.get("level").textValue()).isEqualTo("WARN");
        assertThat(first.get("loggerName").textValue()).isEqualTo("dev.orbit.test.filler");
        assertThat(first.get("formattedMessage").textValue()).isEqualTo("quoted \"text\" and a newline\nin one event");
        assertThat(first.get("mdc").get("request_id").textValue()).isEqualTo("json-req-1");
        assertThat(json.readTree(lines.get(1)).path("mdc").path("request_id").isMissingNode()).isTrue();
    }
}
