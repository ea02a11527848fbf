package dev.orbit.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.orbit.db.CollectionSpec;
import dev.orbit.db.Document;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads an export directory ({@link ExportFormat}) as a migration source. The manifest is checked when
 * opening; each collection file is read line by line (one batch in memory) and must hold exactly the
 * number of documents the manifest records, else the export is reported damaged.
 */
final class ExportReader implements MigrationSource {
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_]+\\.jsonl");

    private final Path directory;
    private final String display;
    private final Map<String, Entry> entries;

    private record Entry(String name, Path file, long documents) {
    }

    private ExportReader(Path directory, String display, Map<String, Entry> entries) {
        this.directory = directory;
        this.display = display;
        this.entries = entries;
    }

    /** Opens the export in {@code directory}, or explains in one line why it is not a complete one. */
    static ExportReader open(Path directory) {
        String display = "export:" + directory;
        Path manifestFile = directory.resolve(ExportFormat.MANIFEST);
        if (!Files.isDirectory(directory)) {
            throw new AdminException(display + ": no such directory");
        }
        JsonNode manifest;
        try {
            manifest = ExportFormat.JSON.readTree(manifestFile.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new AdminException(display + ": no " + ExportFormat.MANIFEST + ", so not a complete ORBIT export");
        } catch (IOException e) {
            throw new AdminException(display + ": unreadable " + ExportFormat.MANIFEST + ": " + e.getMessage(), e);
        }
        if (manifest == null || !ExportFormat.FORMAT.equals(manifest.path("format").asText())) {
            throw new AdminException(display + ": " + ExportFormat.MANIFEST + " does not describe an ORBIT export");
        }
        int version = manifest.path("version").asInt(-1);
        if (version < 1 || version > ExportFormat.VERSION) {
            throw new AdminException(display + ": export format version " + manifest.path("version")
                    + ", but this ORBIT reads versions up to " + ExportFormat.VERSION + ": upgrade ORBIT to read it");
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (JsonNode collection : manifest.path("collections")) {
            String name = collection.path("name").asText("");
            String file = collection.path("file").asText("");
            long documents = collection.path("documents").asLong(-1);
            if (name.isEmpty() || !FILE_NAME.matcher(file).matches() || documents < 0) {
                throw new AdminException(display + ": " + ExportFormat.MANIFEST + " has a malformed collection entry "
                        + collection);
            }
            Path path = directory.resolve(file);
            if (!Files.isRegularFile(path)) {
                throw new AdminException(display + ": " + file + " is missing");
            }
            long lines = countLines(display, path);
            if (lines != documents) {
                throw new AdminException(display + ": " + file + " holds " + lines + " documents, but the manifest says "
                        + documents + ": the export is damaged");
            }
            entries.put(name, new Entry(name, path, documents));
        }
        return new ExportReader(directory, display, entries);
    }

    @Override
    public String display() {
        return display;
    }

    @Override
    public List<String> collections() {
        return List.copyOf(entries.keySet());
    }

    @Override
    public long count(String collection) {
        Entry entry = entries.get(collection);
        return entry == null ? 0 : entry.documents();
    }

    @Override
    public long countUnexpired(CollectionSpec spec, Instant now) {
        if (!Expiry.hasTtl(spec)) {
            return count(spec.name());
        }
        long[] live = {0};
        scan(spec.name(), 1000, batch -> batch.forEach(d -> {
            if (Expiry.isUnexpired(spec, d, now)) {
                live[0]++;
            }
        }));
        return live[0];
    }

    @Override
    public long scan(String collection, int batchSize, Consumer<List<Document>> consumer) {
        Entry entry = entries.get(collection);
        if (entry == null) {
            return 0;
        }
        String where = display + ": " + entry.file().getFileName();
        long read = 0;
        long lineNumber = 0;
        List<Document> batch = new ArrayList<>(Math.min(batchSize, 1024));
        try (BufferedReader lines = Files.newBufferedReader(entry.file(), StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                batch.add(parse(where, lineNumber, line));
                if (batch.size() == batchSize) {
                    consumer.accept(batch);
                    read += batch.size();
                    batch = new ArrayList<>(Math.min(batchSize, 1024));
                }
            }
        } catch (IOException e) {
            throw new AdminException(where + ": cannot read: " + e.getMessage(), e);
        }
        // Checked again (the file may have changed since it was opened) before the last batch is handed over.
        if (read + batch.size() != entry.documents()) {
            throw new AdminException(where + " holds " + (read + batch.size()) + " documents, but the manifest says "
                    + entry.documents() + ": the export is damaged");
        }
        if (!batch.isEmpty()) {
            consumer.accept(batch);
            read += batch.size();
        }
        return read;
    }

    @Override
    public boolean holds(String collection, String id) {
        return false;
    }

    @Override
    public void close() {
        // Files are opened per scan and closed by it.
    }

    Path directory() {
        return directory;
    }

    /** Non-blank lines: checked when opening, so that a damaged export is refused before anything is copied. */
    private static long countLines(String display, Path file) {
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long count = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isBlank()) {
                    count++;
                }
            }
            return count;
        } catch (IOException e) {
            throw new AdminException(display + ": cannot read " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    private static Document parse(String where, long lineNumber, String line) {
        try {
            Document document = ExportFormat.read(ExportFormat.JSON.readTree(line));
            if (document.id() == null) {
                throw new IllegalArgumentException("the document has no _id");
            }
            return document;
        } catch (JsonProcessingException e) {
            throw new AdminException(where + " line " + lineNumber + ": not JSON: " + e.getOriginalMessage());
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new AdminException(where + " line " + lineNumber + ": " + e.getMessage());
        }
    }
}
