package dev.orbit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orbit.admin.Redactor;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * What {@code orbit start} launched and with which options, kept beside the pid file so that {@code restart}
 * can start the same server again and {@code status} knows where it listens. A database password is never
 * kept: such a URL is stored masked and {@code restart} asks for {@code --db} again.
 *
 * @param pid                       the server's pid
 * @param processStart              when that process started, if the system says (a reused pid starts later)
 * @param startTicks                the same in clock ticks since boot ({@link ProcessStarts}), or null
 * @param url                       where the server answers
 * @param configFile                the configuration file (absolute)
 * @param host                      {@code --host} as given to start, or null (the configuration decides)
 * @param port                      {@code --port} as given to start, or null
 * @param databaseUrl               {@code --db} as given to start (masked when it held a secret), or null
 * @param databasePasswordWithheld  whether {@code databaseUrl} is masked and cannot be reused
 */
record LaunchRecord(long pid, Instant processStart, Long startTicks, String url, Path configFile, String host, Integer port,
                    String databaseUrl, boolean databasePasswordWithheld) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The record of a start, with the database URL's secrets masked. */
    static LaunchRecord of(long pid, Instant processStart, String url, Path configFile, ServerControl.StartRequest request) {
        String database = request.databaseUrl();
        String masked = Redactor.mask(database);
        java.util.OptionalLong ticks = ProcessStarts.ticks(pid);
        return new LaunchRecord(pid, processStart, ticks.isPresent() ? ticks.getAsLong() : null, url, configFile,
                request.host(), request.port(), masked,
                database != null && !masked.equals(database));
    }

    String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("pid", pid);
        node.put("process_start", processStart == null ? null : processStart.toString());
        node.put("process_start_ticks", startTicks);
        node.put("url", url);
        node.put("config", configFile == null ? null : configFile.toString());
        node.put("host", host);
        node.put("port", port);
        node.put("db", databaseUrl);
        node.put("db_password_withheld", databasePasswordWithheld);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record in {@code text}; empty when it is not one (a damaged file is as good as none). */
    static Optional<LaunchRecord> parse(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.path("pid").canConvertToLong() || !node.path("url").isTextual()) {
                return Optional.empty();
            }
            return Optional.of(new LaunchRecord(node.path("pid").asLong(),
                    text(node, "process_start").map(Instant::parse).orElse(null),
                    node.path("process_start_ticks").canConvertToLong() ? node.path("process_start_ticks").asLong() : null,
                    node.path("url").asText(),
                    text(node, "config").map(Path::of).orElse(null), text(node, "host").orElse(null),
                    node.path("port").canConvertToInt() ? node.path("port").asInt() : null,
                    text(node, "db").orElse(null), node.path("db_password_withheld").asBoolean(false)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * What to restart with: each option given now, else the one start was given.
     *
     * @throws CliException when the remembered database URL had a password, which was not kept
     */
    ServerControl.StartRequest fillIn(ServerControl.StartRequest given) {
        String database = given.databaseUrl();
        if (database == null && databaseUrl != null) {
            if (databasePasswordWithheld) {
                throw new CliException("ORBIT was started with --db " + databaseUrl + ", whose password is not kept:"
                        + " pass --db again to restart it");
            }
            database = databaseUrl;
        }
        return new ServerControl.StartRequest(given.configFile() != null ? given.configFile() : configFile,
                given.host() != null ? given.host() : host, given.port() != null ? given.port() : port, database,
                given.readyTimeout());
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node.path(field).isTextual() ? Optional.of(node.path(field).asText()) : Optional.empty();
    }
}
